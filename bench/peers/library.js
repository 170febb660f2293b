'use strict';
// A Node/Fastify peer of hg-resources' library routes, for bench/side_by_side.sh: what a team would write in
// Node for the same three hot paths, with the same duties, so that the C service is measured against a
// full-featured peer and not against a toy.
//
//   GET  /v1/library/resources/:id   the same statement as services/resources/library/resource_store.c
//                                    (library_resource_json), the row's JSON re-serialised, ETag "<version>"
//   POST /v1/library/resources       the body validated as resource.c does (every bad field named, problem+json),
//                                    the row and its resource.created event (the outbox, the CloudEvents
//                                    envelope of common/outbox.c) in one transaction, 201 + Location + ETag
//   GET  /v1/library/resources       the filtered listing, newest first (search_store.c's newest statement:
//                                    ?subject= &grade_band= &type= &license= &limit=), {"data", "next_cursor"}
//
// Every /v1 request: HS256 bearer token verified with iss, aud and exp checks (fast-jwt), the district taken
// from its district_id claim and every statement scoped to it; one JSON log line per request (Fastify's pino,
// to a file) and per-route request counts and durations (GET /metrics, Prometheus text). Prepared statements
// (node-postgres named queries), a pool of PEER_POOL connections per worker, PEER_WORKERS workers (cluster).
//
// Environment: PEER_PORT, PEER_PG_URL, PEER_SECRET_FILE, PEER_WORKERS (default 2), PEER_POOL (connections per
// worker, default 8), PEER_LOG (the request log's file), PEER_ISSUER (homegrown-dev), PEER_AUDIENCE (homegrown).
const cluster = require('node:cluster');
const crypto = require('node:crypto');
const fs = require('node:fs');

const workers = Number(process.env.PEER_WORKERS || 2);

if (cluster.isPrimary) {
  let shuttingDown = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (w, code, signal) => {
    if (!shuttingDown) {
      console.error(`peer: worker ${w.process.pid} exited (${code ?? signal})`);
      process.exit(1);
    }
  });
  const stop = () => {
    shuttingDown = true;
    for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return;
}

const Fastify = require('fastify');
const { Pool } = require('pg');
const { createVerifier } = require('fast-jwt');

const secret = fs.readFileSync(process.env.PEER_SECRET_FILE, 'utf8').trim();
const verify = createVerifier({
  key: secret,
  algorithms: ['HS256'],
  allowedIss: process.env.PEER_ISSUER || 'homegrown-dev',
  allowedAud: process.env.PEER_AUDIENCE || 'homegrown',
  requiredClaims: ['exp', 'sub', 'district_id'],
  clockTolerance: 60,
  cache: 1000, // as hg-resources' cache of resolved callers
});
// The service's schema, as hg-resources sets it on each connection (common/db.c).
const pool = new Pool({ connectionString: process.env.PEER_PG_URL, max: Number(process.env.PEER_POOL || 8),
  options: '-c search_path=resources' });

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPES = ['lesson_plan', 'video', 'rubric', 'article', 'template', 'oer', 'course', 'other'];
const BANDS = ['PK', 'K-2', '3-5', '6-8', '9-12', 'adult'];
const FIELDS = ['title', 'description', 'type', 'url', 'subjects', 'grade_bands', 'topics', 'license'];

const GET_SQL = 'SELECT library_resource_json(r)::text AS j FROM library_resources r' +
  ' WHERE r.district_id = $1 AND r.id = $2 AND r.deleted_at IS NULL';
const INSERT_SQL = 'INSERT INTO library_resources (district_id, created_by, title, description, type, url, subjects,' +
  ' grade_bands, topics, license)' +
  " SELECT $1, $2, d->>'title', coalesce(d->>'description', ''), d->>'type', d->>'url'," +
  " ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'subjects', '[]')))," +
  " ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'grade_bands', '[]')))," +
  " ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'license'" +
  ' FROM (SELECT $3::jsonb AS d) AS input' +
  ' RETURNING library_resource_json(library_resources)::text AS j';
const OUTBOX_SQL = 'INSERT INTO outbox (district_id, topic, event_key, payload) VALUES ($1::uuid, $2, $1::text, $3)';
const LIST_SQL = 'SELECT library_resource_json(r)::text AS j, (extract(epoch FROM r.created_at) * 1000000)::bigint AS k,' +
  ' r.id FROM library_resources r WHERE r.district_id = $1 AND r.deleted_at IS NULL' +
  ' AND ($2::text IS NULL OR r.type = $2::text)' +
  ' AND ($3::text IS NULL OR r.subjects @> ARRAY[$3::text])' +
  ' AND ($4::text IS NULL OR r.grade_bands @> ARRAY[$4::text])' +
  ' AND ($5::text IS NULL OR r.topics @> ARRAY[$5::text])' +
  ' AND ($6::text IS NULL OR r.license = $6::text)' +
  ' AND ($7::boolean IS NULL OR (r.review_due_on <= current_date) = $7::boolean)' +
  " AND ($10::uuid IS NULL OR (r.created_at, r.id) < (('epoch'::timestamptz + $9::bigint * interval '1 microsecond'), $10::uuid))" +
  ' ORDER BY r.created_at DESC, r.id DESC LIMIT $8';

function problem(reply, status, title, errors) {
  const body = { type: 'about:blank', title, status };
  if (errors) body.errors = errors;
  return reply.code(status).type('application/problem+json').send(JSON.stringify(body));
}

// common/cursor.c's layout: a version byte, the key (8 bytes, big-endian), the id (16 bytes), base64url.
function cursorEncode(key, id) {
  const raw = Buffer.alloc(25);
  raw[0] = 1;
  raw.writeBigInt64BE(BigInt(key), 1);
  Buffer.from(id.replace(/-/g, ''), 'hex').copy(raw, 9);
  return raw.toString('base64url');
}
function cursorDecode(text) {
  const raw = Buffer.from(text, 'base64url');
  if (raw.length !== 25 || raw[0] !== 1) return null;
  const h = raw.subarray(9).toString('hex');
  return { key: raw.readBigInt64BE(1).toString(),
    id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}

// resource.c's checks, every bad field named.
function validateCreate(body) {
  const errors = [];
  const out = {};
  const bad = (field, reason) => errors.push({ field, reason });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { errors: [{ field: '', reason: 'must be a JSON object' }] };
  for (const k of Object.keys(body)) if (!FIELDS.includes(k)) bad(k, 'unknown field');
  const str = (k, required, nullable, min, max) => {
    const v = body[k];
    if (v === undefined) { if (required) bad(k, 'is required'); return; }
    if (v === null && nullable) { out[k] = null; return; }
    if (typeof v !== 'string') { bad(k, 'must be a string'); return; }
    const t = k === 'title' || k === 'license' ? v.trim() : v;
    const n = [...t].length;
    if (n < min || n > max) { bad(k, `must be ${min} to ${max} characters`); return; }
    out[k] = t;
  };
  const arr = (k, maxItems, maxLen, choices) => {
    const v = body[k];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length > maxItems) { bad(k, `must be an array of at most ${maxItems} strings`); return; }
    for (const [i, s] of v.entries()) {
      if (typeof s !== 'string' || s.length < 1 || [...s].length > maxLen) bad(`${k}[${i}]`, `must be 1 to ${maxLen} characters`);
      else if (choices && !choices.includes(s)) bad(`${k}[${i}]`, `must be one of ${choices.join(', ')}`);
    }
    out[k] = v;
  };
  str('title', true, false, 1, 200);
  str('description', false, false, 0, 5000);
  if (body.type === undefined) bad('type', 'is required');
  else if (!TYPES.includes(body.type)) bad('type', `must be one of ${TYPES.join(', ')}`);
  else out.type = body.type;
  if (body.url !== undefined && body.url !== null) {
    let ok = typeof body.url === 'string' && body.url.length <= 2048;
    try { ok = ok && ['http:', 'https:'].includes(new URL(body.url).protocol); } catch { ok = false; }
    if (ok) out.url = body.url; else bad('url', 'must be an http(s) URL of at most 2048 characters');
  } else if (body.url === null) out.url = null;
  arr('subjects', 20, 64);
  arr('grade_bands', 6, 8, BANDS);
  arr('topics', 20, 64);
  str('license', false, true, 1, 64);
  return errors.length ? { errors } : { fields: out };
}

// Per-route request counts and total seconds, as hg_metrics_observe keeps them.
const metrics = new Map();
function observe(route, status, seconds) {
  const key = `${route}|${status}`;
  const m = metrics.get(key) || { n: 0, s: 0 };
  m.n++; m.s += seconds;
  metrics.set(key, m);
}

const app = Fastify({
  logger: { level: 'info', file: process.env.PEER_LOG || '/dev/null' },
  bodyLimit: 1 << 20,
  disableRequestLogging: false,
  requestIdHeader: 'x-request-id',
  genReqId: () => crypto.randomUUID(),
});

app.addHook('onRequest', async (req, reply) => {
  req.t0 = process.hrtime.bigint();
  if (!req.url.startsWith('/v1/')) return;
  const h = req.headers.authorization;
  if (!h || !h.startsWith('Bearer ')) return problem(reply, 401, 'Unauthorized');
  try {
    const c = verify(h.slice(7));
    if (!UUID.test(c.district_id) || !UUID.test(c.sub)) return problem(reply, 401, 'Unauthorized');
    req.who = { district: c.district_id.toLowerCase(), sub: c.sub.toLowerCase(), roles: c.roles || [] };
  } catch {
    return problem(reply, 401, 'Unauthorized');
  }
});
app.addHook('onResponse', async (req, reply) => {
  observe(req.routeOptions.url || 'unmatched', reply.statusCode, Number(process.hrtime.bigint() - req.t0) / 1e9);
});

app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/metrics', async (req, reply) => {
  let text = '# TYPE peer_http_requests_total counter\n';
  for (const [k, m] of metrics) {
    const [route, status] = k.split('|');
    text += `peer_http_requests_total{route="${route}",status="${status}"} ${m.n}\n`;
    text += `peer_http_request_seconds_sum{route="${route}",status="${status}"} ${m.s}\n`;
  }
  return reply.type('text/plain; version=0.0.4').send(text);
});

app.get('/v1/library/resources/:id', async (req, reply) => {
  const id = req.params.id;
  if (!UUID.test(id)) return problem(reply, 404, 'Not Found');
  const r = await pool.query({ name: 'library_get', text: GET_SQL, values: [req.who.district, id.toLowerCase()] });
  if (r.rowCount === 0) return problem(reply, 404, 'Not Found');
  const rec = JSON.parse(r.rows[0].j);
  return reply.header('ETag', `"${rec.version}"`).type('application/json').send(JSON.stringify(rec));
});

app.post('/v1/library/resources', async (req, reply) => {
  const v = validateCreate(req.body);
  if (v.errors) return problem(reply, 422, 'Unprocessable Content', v.errors);
  const c = await pool.connect();
  let rec;
  try {
    await c.query('BEGIN');
    const r = await c.query({ name: 'library_insert', text: INSERT_SQL,
      values: [req.who.district, req.who.sub, JSON.stringify(v.fields)] });
    rec = JSON.parse(r.rows[0].j);
    const event = { specversion: '1.0', id: crypto.randomUUID(), source: '/homegrown/resources', type: 'resource.created',
      subject: rec.id, time: new Date().toISOString(), datacontenttype: 'application/json',
      districtid: req.who.district, data: rec };
    await c.query({ name: 'outbox_insert', text: OUTBOX_SQL,
      values: [req.who.district, 'homegrown.resources', JSON.stringify(event)] });
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
  return reply.code(201).header('Location', `/v1/library/resources/${rec.id}`).header('ETag', `"${rec.version}"`)
    .type('application/json').send(JSON.stringify(rec));
});

app.get('/v1/library/resources', async (req, reply) => {
  const q = req.query;
  const errors = [];
  for (const k of Object.keys(q)) {
    if (!['type', 'subject', 'grade_band', 'topic', 'license', 'limit', 'cursor'].includes(k)) errors.push({ field: k, reason: 'unknown parameter' });
  }
  const limit = q.limit === undefined ? 20 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push({ field: 'limit', reason: 'must be an integer 1 to 100' });
  if (q.type !== undefined && !TYPES.includes(q.type)) errors.push({ field: 'type', reason: 'unknown type' });
  if (q.grade_band !== undefined && !BANDS.includes(q.grade_band)) errors.push({ field: 'grade_band', reason: 'unknown grade band' });
  const cur = q.cursor === undefined ? null : cursorDecode(q.cursor);
  if (q.cursor !== undefined && cur === null) errors.push({ field: 'cursor', reason: 'is not a cursor of this listing' });
  if (errors.length) return problem(reply, 400, 'Bad Request', errors);
  const r = await pool.query({ name: 'library_list_newest', text: LIST_SQL, values: [req.who.district, q.type ?? null,
    q.subject ?? null, q.grade_band ?? null, q.topic ?? null, q.license ?? null, null, limit + 1,
    cur ? cur.key : null, cur ? cur.id : null] });
  const rows = r.rows.slice(0, limit);
  const next = r.rows.length > limit ? cursorEncode(rows[rows.length - 1].k, rows[rows.length - 1].id) : null;
  const data = rows.map((x) => JSON.parse(x.j));
  return reply.type('application/json').send(JSON.stringify({ data, next_cursor: next }));
});

app.setErrorHandler((err, req, reply) => {
  if (err.statusCode && err.statusCode < 500) return problem(reply, err.statusCode, err.message);
  req.log.error(err);
  return problem(reply, 500, 'Internal Server Error');
});

const stop = () => app.close().then(() => pool.end()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
app.listen({ host: '127.0.0.1', port: Number(process.env.PEER_PORT) }).catch((e) => {
  console.error(e);
  process.exit(1);
});
