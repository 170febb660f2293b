// The district PD office's views (school leaders get the same, scoped by the services to their schools):
// participation by school, the equity audit, coaching reach (aggregates), upcoming sessions with seats and
// waitlists, survey results and (district admins) the last roster import with its counts and problems.
import { all, api, Problem } from "./api.js";
import { barChart, el, failed, fmt, section, suppressed, table } from "./ui.js";

const DIMENSION = { locale: "Locale", poverty: "Poverty level", title_i: "Title I", career_stage: "Career stage" };

async function participation(period) {
  const p = await api(`/v1/analytics/participation?period=${encodeURIComponent(period)}&by=school`);
  const groups = p.groups ?? [];
  return [
    el("p", {}, `${p.overall.participants} of ${p.overall.educators} educators took part (${fmt.pct(p.overall.participation_rate)}), `,
      `${fmt.n(p.overall.hours)} hours in all.`),
    groups.length ? barChart(groups.map((g) => g.name ?? g.key ?? "no school"), groups.map((g) => g.participation_rate),
      { label: "Participation rate by school", max: 1 }) : null,
    table([{ label: "School", value: (g) => g.name ?? g.key ?? "no school" },
           { label: "Educators", num: true, value: (g) => g.educators },
           { label: "Participants", num: true, value: (g) => g.participants },
           { label: "Rate", num: true, value: (g) => fmt.pct(g.participation_rate) },
           { label: "Hours", num: true, value: (g) => fmt.n(g.hours) },
           { label: "Mean hours", num: true, value: (g) => fmt.n(g.mean_hours) }], groups, "No schools on the roster yet."),
  ];
}

async function coaching(period) {
  const c = await api(`/v1/analytics/coaching?period=${encodeURIComponent(period)}`);
  const rows = [
    ["Teachers coached", c.teachers_coached, String],
    ["Coaching minutes", c.coaching_minutes, fmt.n],
    ["Minutes per teacher coached", c.minutes_per_teacher, fmt.n],
    ["Cycles started", c.cycles_started, String],
    ["Cycles completed", c.cycles_completed, String],
    ["Goals met (of completed cycles)", c.goal_met_rate, fmt.pct],
    ["Feedback given", c.feedback_given, String],
    ["Median minutes from observation to feedback", c.median_minutes_to_feedback, fmt.n],
  ];
  return [el("p", { class: "muted" }, "Aggregates only: coaching content stays between coach and teacher."),
    table([{ label: "Measure", value: (r) => r[0] }, { label: "Value", num: true, value: (r) => (r[1] === null ? "—" : r[2](r[1])) }], rows)];
}

function cell(g, key, format) {
  return g[key] === null && g.withheld ? suppressed(g.withheld) : format(g[key]);
}

async function equity(period) {
  const e = await api(`/v1/analytics/equity?period=${encodeURIComponent(period)}&measure=participation_rate`);
  return [
    el("p", { class: "muted" }, `Groups smaller than ${e.min_cell} educators, and any group from which one could be worked out, are suppressed. `,
      "A group is flagged when its rate is below four fifths of the best-served group's."),
    ...e.dimensions.map((d) => {
      const shown = d.groups.filter((g) => g.value !== null);
      return el("div", { class: "dimension", "data-dimension": d.dimension },
        el("h3", {}, DIMENSION[d.dimension] ?? d.dimension),
        shown.length ? barChart(shown.map((g) => g.key ?? "not recorded"), shown.map((g) => g.value),
          { label: `Participation rate by ${d.dimension}`, max: 1,
            colors: shown.map((g) => (g.below_four_fifths ? "#a4161a" : "#1f5fa8")) }) : null,
        table([{ label: "Group", value: (g) => g.key ?? "not recorded" },
               { label: "Educators", num: true, value: (g) => cell(g, "educators", String) },
               { label: "Rate", num: true, value: (g) => cell(g, "participation_rate", fmt.pct) },
               { label: "Mean hours", num: true, value: (g) => cell(g, "mean_hours", fmt.n) },
               { label: "Ratio to best", num: true, value: (g) => cell(g, "ratio", fmt.n) },
               { label: "Gap", num: true, value: (g) => cell(g, "gap", fmt.pct) },
               { label: "Four-fifths", value: (g) => (g.below_four_fifths ? el("span", { class: "flag" }, "below")
                 : g.below_four_fifths === false ? "ok" : "—") }], d.groups, "No groups."));
    }),
  ];
}

async function sessions() {
  const activities = await all("/v1/catalog/activities?status=published", 50);
  const rows = [];
  for (const a of activities) {
    for (const s of await all(`/v1/catalog/activities/${encodeURIComponent(a.id)}/sessions`, 50)) {
      if (s.status === "registering" && new Date(s.ends_at) > new Date()) rows.push({ a, s });
    }
  }
  rows.sort((x, y) => x.s.starts_at.localeCompare(y.s.starts_at));
  return table([{ label: "Activity", value: (r) => r.a.title }, { label: "Starts", value: (r) => fmt.when(r.s.starts_at) },
                { label: "Capacity", num: true, value: (r) => r.s.capacity },
                { label: "Registered", num: true, value: (r) => r.s.registered_count },
                { label: "Seats left", num: true, value: (r) => r.s.seats_available },
                { label: "Waitlist", num: true, value: (r) => r.s.waitlisted_count }], rows, "No upcoming sessions.");
}

function distribution(d) {
  return d ? Object.entries(d).map(([k, v]) => `${k}: ${v}`).join(", ") : "—";
}

async function surveyResults() {
  const closed = await all("/v1/surveys?status=closed", 10);
  if (!closed.length) return el("p", { class: "muted" }, "No closed survey yet.");
  const blocks = [];
  for (const s of closed.slice(0, 5)) {
    const r = await api(`/v1/surveys/${encodeURIComponent(s.id)}/results`);
    const cells = r.overall?.questions ?? {};
    const rows = s.questions.map((q) => ({ q, c: cells[q.id] ?? {} }));
    const shown = (row, key, f) => (row.c.withheld ? suppressed(row.c.withheld.replace(/_/g, " ")) : f(row.c[key]));
    blocks.push(el("div", { class: "survey-result", "data-survey": s.id }, el("h3", {}, s.title),
      el("p", { class: "muted" }, r.respondents === null
        ? "Fewer respondents than the district's minimum: every figure is suppressed."
        : `${r.response_rate.responded} of ${r.response_rate.invited} responded (${fmt.n(r.response_rate.rate)} %).`),
      table([{ label: "Question", value: (x) => x.q.prompt },
             { label: "Respondents", num: true, value: (x) => shown(x, "count", String) },
             { label: "Distribution", value: (x) => shown(x, "distribution", distribution) },
             { label: "Mean", num: true, value: (x) => shown(x, "mean", fmt.n) },
             { label: "% favourable", num: true, value: (x) => shown(x, "percent_favourable", fmt.n) },
             { label: "Confidence change", num: true,
               value: (x) => shown(x, "change", (c) => (c ? `${c.mean > 0 ? "+" : ""}${fmt.n(c.mean)}` : "—")) }], rows)));
  }
  return blocks;
}

const ENTITY = { orgs: "Organizations", academic_sessions: "Academic sessions", educators: "Educators" };

async function lastImport() {
  const page = await api("/v1/roster/imports?limit=1");
  const i = page.data[0];
  if (!i) return el("p", { class: "muted" }, "No roster import yet.");
  const problems = i.error?.problems ?? [];
  return [
    el("p", { "data-import-state": i.state }, `Last import ${fmt.when(i.created_at)}: ${i.state}${i.dry_run ? " (dry run: nothing applied)" : ""}.`,
      i.state === "running" && i.progress ? ` ${i.progress.records_applied} of ${i.progress.estimated_total ?? "?"} records applied.` : ""),
    i.counts ? table([{ label: "Records", value: ([k]) => ENTITY[k] ?? k },
                      { label: "Created", num: true, value: ([, c]) => c.created },
                      { label: "Updated", num: true, value: ([, c]) => c.updated },
                      { label: "Deactivated", num: true, value: ([, c]) => c.deactivated },
                      { label: "Unchanged", num: true, value: ([, c]) => c.unchanged }], Object.entries(i.counts)) : null,
    i.skipped ? el("p", { class: "muted" }, `Skipped (students, guardians, staff without a Homegrown role): ${i.skipped.users} users, ${i.skipped.roles} roles.`) : null,
    i.error ? el("p", { class: "problem" }, i.error.detail,
      i.error.problem_count > problems.length ? ` (${problems.length} of ${i.error.problem_count} problems shown)` : "") : null,
    problems.length ? table([{ label: "Where", value: (p) => p.field }, { label: "Problem", value: (p) => p.reason }], problems.slice(0, 50)) : null,
  ];
}

async function guarded(fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Problem) return failed(e);
    throw e;
  }
}

export function schoolYear(d = new Date()) {
  const y = d.getUTCFullYear();
  return `SY${d.getUTCMonth() >= 6 ? y : y - 1}`;
}

export async function districtView(main, who) {
  const period = new URLSearchParams(location.search).get("period") ?? schoolYear();
  const admin = who.roles.includes("district_admin");
  const [p, e, c, s, r, i] = await Promise.all([guarded(() => participation(period)), guarded(() => equity(period)),
    guarded(() => coaching(period)), guarded(sessions), guarded(surveyResults), admin ? guarded(lastImport) : null]);
  main.replaceChildren(
    el("p", { class: "muted" }, `Period ${period}${admin ? "" : " (your schools)"}.`),
    section("Participation by school", "participation", p),
    section("Equity audit", "equity", e),
    section("Coaching reach", "coaching", c),
    section("Upcoming sessions", "sessions", s),
    section("Survey results", "survey-results", r),
    admin ? section("Last roster import", "roster-import", i) : null);
}
