// The Homegrown app: which views the signed-in caller gets, and switching between them.
import { canSignInWithDistrict, claims, loadConfig, signInWithDistrict, signOut, takeTokenFromFragment } from "./auth.js";
import { districtView } from "./district.js";
import { teacherView } from "./teacher.js";
import { el } from "./ui.js";

const VIEWS = [
  { id: "me", label: "My learning", roles: ["teacher", "coach", "school_leader", "district_admin"], render: teacherView },
  { id: "district", label: "District", roles: ["district_admin"], render: districtView },
  { id: "schools", label: "My schools", roles: ["school_leader"], render: districtView, unless: "district_admin" },
];

const main = document.getElementById("view");

function signedOut(why = null) {
  document.getElementById("tabs").replaceChildren();
  document.getElementById("who").textContent = "";
  document.getElementById("sign-out").hidden = true;
  const district = canSignInWithDistrict()
    ? el("p", {}, el("button", { type: "button", class: "primary", id: "sign-in-district",
      onclick: () => signInWithDistrict() }, "Sign in with your district"))
    : el("p", { class: "muted" }, "Signing in through the district is not configured here (HG_GATEWAY_OIDC_ISSUER).");
  main.replaceChildren(el("section", { id: "sign-in" }, el("h2", {}, "Sign in"),
    why ? el("p", { class: "problem", role: "alert" }, why) : null,
    district,
    el("p", { class: "muted" }, "In development, open the sign-in link for your role that `make up` printed. ",
      "A token stays in this browser tab only; it is never sent in a URL.")));
  document.body.dataset.state = "signed-out";
}

async function show(view, who) {
  for (const b of document.querySelectorAll("#tabs button")) {
    b.setAttribute("aria-current", b.dataset.view === view.id ? "page" : "false");
  }
  document.body.dataset.state = "loading";
  main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  try {
    await view.render(main, who);
    document.body.dataset.state = "ready";
  } catch (e) {
    main.replaceChildren(el("p", { class: "problem", role: "alert" }, `Something went wrong: ${e.message ?? e}`));
    document.body.dataset.state = "error";
  }
  document.body.dataset.view = view.id;
}

async function start() {
  await loadConfig();
  const failure = await takeTokenFromFragment();
  const who = claims();
  if (!who) return signedOut(failure);
  const views = VIEWS.filter((v) => v.roles.some((r) => who.roles.includes(r)) && !(v.unless && who.roles.includes(v.unless)));
  document.getElementById("who").textContent = `${who.roles.join(", ")}`;
  const out = document.getElementById("sign-out");
  out.hidden = false;
  out.onclick = () => { signOut(); signedOut(); };
  document.getElementById("tabs").replaceChildren(...views.map((v) => el("button", {
    type: "button", "data-view": v.id, onclick: () => show(v, who) }, v.label)));
  if (!views.length) {
    main.replaceChildren(el("p", { class: "problem" }, "Your roles have no view here."));
    document.body.dataset.state = "ready";
    return undefined;
  }
  const wanted = new URLSearchParams(location.search).get("view");
  return show(views.find((v) => v.id === wanted) ?? views[views.length - 1], who);
}

start();
