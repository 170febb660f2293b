// "My learning": a teacher's recommendations with the why, transcript and credits, registrations, and the open
// surveys to answer.
import { all, api, Problem } from "./api.js";
import { el, failed, fmt, section, table } from "./ui.js";
import { surveyForm } from "./survey.js";

async function transcript(me) {
  const t = await api(`/v1/transcripts/${encodeURIComponent(me)}?limit=100`);
  const totals = Object.entries(t.totals).filter(([, v]) => v.entries > 0);
  return [
    table([{ label: "Credit type", value: ([k]) => k }, { label: "Credits", num: true, value: ([, v]) => fmt.n(v.credits) },
           { label: "Clock hours", num: true, value: ([, v]) => fmt.n(v.clock_hours) },
           { label: "Entries", num: true, value: ([, v]) => v.entries }], totals, "No credits recorded yet."),
    table([{ label: "Date", value: (e) => e.date }, { label: "Learning", value: (e) => e.title },
           { label: "Kind", value: (e) => e.kind.replace(/_/g, " ") }, { label: "Credit type", value: (e) => e.credit_type },
           { label: "Credits", num: true, value: (e) => fmt.n(e.credits) },
           { label: "Clock hours", num: true, value: (e) => fmt.n(e.clock_hours) }], t.data, "Nothing on the transcript yet."),
  ];
}

// Why each item is recommended, from its reasons (docs/analytics.md "Recommendations").
const factorText = {
  school_need: (r) => `a need of your school: ${r.detail} (need ${fmt.n(r.value)} of 5)`,
  role: (r) => `for ${r.detail}`,
  career_stage: (r) => `for ${r.detail}`,
  peer_rating: (r) => `rated ${fmt.n(r.value)} of 5 by your colleagues (${r.detail})`,
};

async function recommendations(me) {
  const doc = await api(`/v1/analytics/recommendations/${encodeURIComponent(me)}`);
  if (!doc.items.length) return el("p", { class: "muted" }, "No recommendations yet.");
  return el("ol", { class: "recommendations" }, doc.items.map((i) => el("li", { "data-item": i.id },
    el("strong", {}, i.title), " ",
    el("span", { class: "muted" }, i.kind === "activity"
      ? `(offering; next session ${fmt.when(i.next_session.starts_at)}, ${i.next_session.seats_left} seats left)`
      : "(library)"),
    el("p", { class: "why" }, `Why: score ${fmt.n(i.score)} = `,
      i.reasons.map((r, k) => el("span", { class: "reason", "data-factor": r.factor },
        k ? " + " : "", `${factorText[r.factor]?.(r) ?? r.factor} (+${fmt.n(r.contribution)})`))))));
}

async function registrations() {
  const rows = await all("/v1/catalog/registrations?upcoming=true");
  return table([
    { label: "Activity", value: (r) => r.activity_title },
    { label: "Starts", value: (r) => fmt.when(r.session.starts_at) },
    { label: "Where", value: (r) => r.session.location ?? (r.session.online_url ? "online" : "—") },
    { label: "Status", value: (r) => (r.status === "waitlisted" ? `waitlisted (#${r.waitlist_position})` : r.status) },
  ], rows, "No upcoming registrations.");
}

async function openSurveys(rerender) {
  const open = (await all("/v1/surveys?status=open")).filter((s) => !s.answered);
  if (!open.length) return el("p", { class: "muted" }, "No survey is waiting for you.");
  return el("ul", { class: "surveys" }, open.map((s) => el("li", { "data-survey": s.id },
    el("strong", {}, s.title), " ",
    el("span", { class: "muted" }, s.mode === "anonymous" ? "(anonymous: your answers cannot be linked to you)" : "(confidential)"),
    " ",
    el("button", { type: "button", class: "primary", onclick: (ev) => {
      ev.target.replaceWith(surveyForm(s, rerender));
    } }, "Answer"))));
}

async function guarded(fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Problem) return failed(e);
    throw e;
  }
}

// The caller's educator record: the roster's record of the token's principal (GET /v1/roster/me), which holds
// whatever claim the identity provider names them by. {id} or {problem}.
async function whoAmI() {
  try {
    return { id: (await api("/v1/roster/me")).id };
  } catch (e) {
    if (e instanceof Problem) return { problem: e };
    throw e;
  }
}

function noTranscript(problem) {
  return problem.status === 404 ? el("p", { class: "muted" }, "You are not on the district's roster: no transcript.")
    : failed(problem);
}

export async function teacherView(main) {
  const me = await whoAmI();
  const render = async () => {
    const [t, r, s, rec] = await Promise.all([
      me.id ? guarded(() => transcript(me.id)) : noTranscript(me.problem),
      guarded(registrations),
      guarded(() => openSurveys(render)),
      me.id ? guarded(() => recommendations(me.id)) : el("p", { class: "muted" }, "No recommendations: not on the roster."),
    ]);
    main.replaceChildren(
      section("Surveys to answer", "surveys", s),
      section("My recommendations", "recommendations", rec),
      section("My registrations", "registrations", r),
      section("My transcript", "transcript", t));
  };
  await render();
}
