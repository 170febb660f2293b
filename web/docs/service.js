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
  }, document.getElementById("redoc"), (err) => {
    if (err) {
      status.textContent = `The ${name} specification could not be rendered: ${err.message ?? err}`;
      status.dataset.state = "error";
    } else {
      status.textContent = "";
      status.dataset.state = "ready";
    }
  });
}
