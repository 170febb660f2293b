// DOM helpers. Text from the API is only ever set as text (never parsed as HTML).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function section(title, id, ...children) {
  return el("section", { id }, el("h2", {}, title), ...children);
}

// A table: columns [{label, value: row => text or Node, num: bool}].
export function table(columns, rows, empty = "Nothing yet.") {
  if (!rows.length) return el("p", { class: "muted" }, empty);
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { class: c.num ? "num" : null, scope: "col" }, c.label)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => el("td", { class: c.num ? "num" : null }, c.value(r)))))));
}

export function problemText(p) {
  const fields = p.errors?.length ? ` (${p.errors.map((e) => `${e.field}: ${e.reason}`).join("; ")})` : "";
  return `${p.title}: ${p.message}${fields}`;
}

export function failed(p) {
  return el("p", { class: "problem", role: "alert" }, problemText(p));
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
export const fmt = {
  n: (v) => (v === null || v === undefined ? "—" : number.format(v)),
  pct: (v) => (v === null || v === undefined ? "—" : percent.format(v)),
  when: (iso) => (iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : "—"),
};

// A withheld figure is said to be withheld, never shown as zero.
export function suppressed(reason) {
  return el("span", { class: "suppressed", title: reason }, "suppressed");
}

// A bar chart (Chart.js, vendor/chart.umd.min.js); the table beside it carries the same figures.
export function barChart(labels, values, { label, colors, max } = {}) {
  const canvas = el("canvas", { role: "img", "aria-label": label });
  const box = el("div", { class: "chart" }, canvas);
  if (globalThis.Chart) {
    // eslint-disable-next-line no-new
    new globalThis.Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label, data: values, backgroundColor: colors ?? "#1f5fa8" }] },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, max } },
                 plugins: { legend: { display: false } } },
    });
    canvas.dataset.chart = "drawn";
  }
  return box;
}
