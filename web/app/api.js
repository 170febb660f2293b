// Calls to the API through this gateway (same origin). Every failure is an RFC 9457 problem: it is thrown as a
// Problem carrying the title, the detail and the per-field errors, for the page to show.
import { token } from "./auth.js";

export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.title = body?.title ?? `HTTP ${status}`;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.reason = body?.reason ?? null;
  }
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const h = { Accept: "application/json", Authorization: `Bearer ${token()}`, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (method === "POST" && !h["Idempotency-Key"]) h["Idempotency-Key"] = crypto.randomUUID();
  let r;
  try {
    r = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new Problem(0, { title: "Network error", detail: String(e) });
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!r.ok) throw new Problem(r.status, json);
  return json;
}

// Every page of a list (at most `max` items: the page shows what it can hold).
export async function all(path, max = 200) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items.slice(0, max);
}
