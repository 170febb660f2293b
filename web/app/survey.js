// The answer form of one survey, built from its questions (docs/surveys.md "Questions"). The service checks
// every answer; its 422 names each question that failed, shown beside it.
import { api, Problem } from "./api.js";
import { el, problemText } from "./ui.js";

function inputFor(q) {
  const name = `q-${q.id}`;
  switch (q.type) {
    case "scale":
      return q.labels.map((label, i) => el("label", { class: "choice" },
        el("input", { type: "radio", name, value: i + 1, required: q.required }), label));
    case "retrospective":
      return ["before", "now"].map((part) => el("div", {}, el("span", {}, part === "before" ? "Before this PD: " : "Now: "),
        q.labels.map((label, i) => el("label", { class: "choice" },
          el("input", { type: "radio", name: `${name}-${part}`, value: i + 1, required: q.required }), label))));
    case "single_choice":
      return q.options.map((o) => el("label", { class: "choice" }, el("input", { type: "radio", name, value: o }), o));
    case "multiple_choice":
      return q.options.map((o) => el("label", { class: "choice" }, el("input", { type: "checkbox", name, value: o }), o));
    case "rating":
      return el("input", { type: "number", name, min: 0, max: 10, step: 1, "aria-label": q.prompt });
    case "number":
      return el("input", { type: "number", name, min: q.min, max: q.max, step: "any", "aria-label": q.prompt });
    default:
      // a lone field is named by its question (the legend names the group, not the field)
      return el("textarea", { name, maxlength: q.max_length ?? 1000, rows: 3, cols: 60, "aria-label": q.prompt });
  }
}

function answerOf(form, q) {
  const name = `q-${q.id}`;
  const checked = (n) => form.querySelector(`input[name="${CSS.escape(n)}"]:checked`)?.value;
  switch (q.type) {
    case "scale": { const v = checked(name); return v === undefined ? undefined : Number(v); }
    case "retrospective": {
      const b = checked(`${name}-before`), n = checked(`${name}-now`);
      return b === undefined && n === undefined ? undefined : { before: Number(b), now: Number(n) };
    }
    case "single_choice": return checked(name);
    case "multiple_choice": {
      const picks = [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map((i) => i.value);
      return picks.length ? picks : undefined;
    }
    case "rating": case "number": {
      const v = form.elements[name].value.trim();
      return v === "" ? undefined : Number(v);
    }
    default: { const v = form.elements[name].value.trim(); return v === "" ? undefined : v; }
  }
}

export function surveyForm(survey, done) {
  const status = el("p", { role: "status" });
  const form = el("form", { class: "survey-form", novalidate: true },
    survey.questions.map((q) => el("fieldset", { "data-question": q.id },
      el("legend", {}, q.prompt, q.required ? "" : " (optional)"), inputFor(q), el("p", { class: "errors" }))),
    el("button", { type: "submit", class: "primary" }, "Send my answers"), status);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelectorAll(".errors").forEach((p) => { p.textContent = ""; });
    const answers = {};
    for (const q of survey.questions) {
      const a = answerOf(form, q);
      if (a !== undefined) answers[q.id] = a;
    }
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await api(`/v1/surveys/${encodeURIComponent(survey.id)}/responses`, { method: "POST", body: { answers } });
      status.textContent = "Thank you: your answers were received.";
      status.dataset.state = "sent";
      setTimeout(() => done(), 1500);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      for (const err of e.errors) {
        const id = String(err.field).replace(/^answers\./, "");
        const box = form.querySelector(`fieldset[data-question="${CSS.escape(id)}"] .errors`);
        if (box) box.textContent = err.reason;
      }
      status.textContent = problemText(e);
      status.dataset.state = "refused";
      form.querySelector("button[type=submit]").disabled = false;
    }
  });
  return form;
}
