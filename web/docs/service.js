// Renders one service's OpenAPI specification (specs/<name>.yaml, served by the gateway from api-spec/) with
// Redoc (vendor/redoc.standalone.js, the pinned npm package web/node_modules/redoc). ?name= picks the service.
const SERVICES = ["roster", "resources", "surveys", "coaching", "analytics"];

const status = document.getElementById("status");
const name = new URLSearchParams(location.search).get("name");

if (!SERVICES.includes(name)) {
  status.textContent = `No service named "${name ?? ""}": choose one of ${SERVICES.join(", ")}.`;
  status.dataset.state = "error";
} else {
  document.title = `Homegrown ${name} API`;
  globalThis.Redoc.init(`specs/${name}.yaml`, {
    expandResponses: "200,201",
    hideHostname: true,
    jsonSampleExpandLevel: 2,
    pathInMiddlePanel: true,
    // Contrast (WCAG AA wants 4.5:1): inline code in descriptions, Redoc's red on grey, is 4.2:1 by default and
    // 7:1 here.
    // The response tabs on the dark right panel: status colours light enough to read (red was 3.5:1).
    theme: {
      typography: { code: { color: "#a31515" } },
      colors: {
        responses: {
          success: { tabTextColor: "#81c784" },
          error: { tabTextColor: "#ff8a80" },
          redirect: { tabTextColor: "#ffcc80" },
          info: { tabTextColor: "#90caf9" },
        },
      },
    },
  }, document.getElementById("redoc"), (err) => {
    if (err) {
      status.textContent = `The ${name} specification could not be rendered: ${err.message ?? err}`;
      status.dataset.state = "error";
    } else {
      const root = document.getElementById("redoc");
      accessible(root);
      new MutationObserver((changes) => {
        for (const change of changes) {
          for (const node of change.addedNodes) {
            if (node.nodeType === Node.ELEMENT_NODE) accessible(node);
          }
        }
      }).observe(root, { childList: true, subtree: true });
      status.textContent = "";
      status.dataset.state = "ready";
    }
  });
}

// What Redoc leaves out for keyboard and screen-reader users (found by the axe-core check in
// tests/blackbox/test_web_docs.py): its selects (content type, schema variant) get a name, and its code samples,
// which scroll sideways, can take the focus so they scroll with the keyboard; its half-transparent labels
// (section headings, table captions: #263238 at 50 %, 2.9:1 on white) are drawn opaque (#455a64, 7:1).
// Idempotent: run over the page once rendered, then over what Redoc adds.
function accessible(root) {
  for (const el of [root, ...root.querySelectorAll("*")]) {
    if (getComputedStyle(el).color === "rgba(38, 50, 56, 0.5)") el.style.color = "#455a64";
  }
  for (const select of root.querySelectorAll("select:not([aria-label])")) {
    const near = select.closest("h5, div")?.textContent?.trim().split("\n")[0] ?? "";
    select.setAttribute("aria-label", near.toLowerCase().includes("content type") || select.querySelector("option[value*='/']")
      ? "Content type" : "Schema variant");
  }
  for (const pre of root.querySelectorAll("pre:not([tabindex])")) {
    pre.setAttribute("tabindex", "0");
  }
}
