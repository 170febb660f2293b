"""A OneRoster 1.2 REST provider for the sync tests: the district's SIS as the roster service meets it.

It speaks the real protocol over real HTTPS (a self-signed certificate made with the openssl command; the
service trusts it through HG_ROSTER_SIS_CA_FILE, so TLS verification stays on):

    POST /oauth/token                      OAuth 2.0 client credentials (HTTP Basic client authentication);
                                           {"access_token", "token_type": "bearer", "expires_in"}
    GET  /ims/oneroster/rostering/v1p2/{orgs,academicSessions,users}
         ?limit=&offset=&fields=&filter=   a bearer token required; paging with X-Total-Count and a Link
                                           header (rel="next", rel="last"); field selection; the filter
                                           dateLastModified>'<ISO 8601>' (deltas); users carry their roles

The records come from tests/fixtures/roster/generate.py's District, so a sync and a CSV import of the same
district can be compared. Faults are planted per collection and page: a 429 with Retry-After, 5xx, a slow
page, a malformed page, a 401 that makes the client fetch a new token.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
import time
import uuid
from base64 import b64decode
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BASE_PATH = "/ims/oneroster/rostering/v1p2"
MODIFIED = "2026-08-01T12:00:00.000Z"
COLLECTIONS = ("orgs", "academicSessions", "users")


def ensure_certificate(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (made once per test run directory)."""
    if cert.exists() and key.exists():
        return
    cert.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True, timeout=60)


def district_records(d) -> dict[str, list[dict]]:
    """A generate.District as OneRoster 1.2 REST records (users with their roles embedded)."""
    def ref(sid: str, kind: str):
        return {"href": f"{BASE_PATH}/{kind}s/{sid}", "sourcedId": sid, "type": kind} if sid else None

    orgs = [{"sourcedId": o[0], "status": "active", "dateLastModified": MODIFIED, "name": o[3], "type": o[4],
             "identifier": o[5], "parent": ref(o[6], "org")} for o in d.orgs]
    sessions = [{"sourcedId": s[0], "status": "active", "dateLastModified": MODIFIED, "title": s[3],
                 "type": s[4], "startDate": s[5], "endDate": s[6], "parent": ref(s[7], "academicSession"),
                 "schoolYear": s[8]} for s in d.sessions]
    roles: dict[str, list[dict]] = {}
    for r in d.roles:
        roles.setdefault(r.user, []).append({"roleType": r.role_type, "role": r.role, "org": ref(r.org, "org"),
                                             "beginDate": "2026-08-15"})
    users = [{"sourcedId": u.sourced_id, "status": "active", "dateLastModified": MODIFIED,
              "enabledUser": u.enabled, "username": u.username, "userIds": [], "givenName": u.given,
              "familyName": u.family, "middleName": "", "email": u.email,
              "grades": [u.grades] if u.grades else [], "password": f"pw-{u.username}",
              "roles": roles.get(u.sourced_id, [])} for u in d.users]
    return {"orgs": orgs, "academicSessions": sessions, "users": users}


@dataclass
class Fault:
    """What the provider does instead of answering page `page` (0-based) of `collection`, `times` times."""

    collection: str
    page: int
    kind: str  # "429", "500", "503", "slow", "malformed", "not-object", "401", "bad-link"
    times: int = 1
    seconds: float = 0.0  # slow: how long; 429: the Retry-After it sends


@dataclass
class Provider:
    cert: Path
    key: Path
    client_id: str = "homegrown-pd"
    client_secret: str = field(default_factory=lambda: f"sis-secret-{uuid.uuid4().hex}")
    expires_in: int = 3600
    page_delay: float = 0.0  # every data page waits this long (a sync slow enough to watch)
    records: dict[str, list[dict]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    token_requests: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)  # every data request: path, query, status

    def __post_init__(self) -> None:
        ensure_certificate(self.cert, self.key)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                provider._token(self)

            def do_GET(self):
                provider._get(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.cert), str(self.key))
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}{BASE_PATH}"

    @property
    def token_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/oauth/token"

    def connection(self, **over) -> dict:
        body = {"base_url": self.base_url, "token_url": self.token_url, "client_id": self.client_id,
                "client_secret": self.client_secret, "scope": "roster-core.readonly", "use_deltas": True}
        body.update(over)
        return body

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- answers ----

    @staticmethod
    def _send(h, status: int, body: bytes, headers: dict | None = None, ctype="application/json") -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _token(self, h) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        form = parse_qs(h.rfile.read(length).decode())
        auth = h.headers.get("Authorization", "")
        ok = False
        if auth.startswith("Basic "):
            cid, _, secret = b64decode(auth[6:]).decode().partition(":")
            ok = cid == self.client_id and secret == self.client_secret
        with self.lock:
            self.token_requests.append({"grant_type": form.get("grant_type"), "scope": form.get("scope"),
                                        "ok": ok})
        if urlsplit(h.path).path != "/oauth/token" or form.get("grant_type") != ["client_credentials"]:
            return self._send(h, 400, b'{"error":"unsupported_grant_type"}')
        if not ok:
            return self._send(h, 401, b'{"error":"invalid_client"}', {"WWW-Authenticate": "Basic"})
        token = uuid.uuid4().hex
        with self.lock:
            self.tokens.add(token)
        self._send(h, 200, json.dumps({"access_token": token, "token_type": "bearer",
                                       "expires_in": self.expires_in}).encode(), {"Cache-Control": "no-store"})

    def _fault(self, collection: str, page: int) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.collection == collection and f.page == page and f.times > 0:
                    f.times -= 1
                    return f
        return None

    def _get(self, h) -> None:
        url = urlsplit(h.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        collection = url.path[len(BASE_PATH) + 1:] if url.path.startswith(BASE_PATH + "/") else ""
        entry = {"path": url.path, "query": q, "status": 0}
        with self.lock:
            self.requests.append(entry)
        auth = h.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            entry["status"] = 401
            return self._send(h, 401, b'{"imsx_codeMajor":"failure","imsx_description":"unauthorized"}',
                              {"WWW-Authenticate": "Bearer"})
        if collection not in COLLECTIONS:
            entry["status"] = 404
            return self._send(h, 404, b"{}")
        limit, offset = int(q.get("limit", 100)), int(q.get("offset", 0))
        page_no = offset // max(limit, 1)
        if self.page_delay:
            time.sleep(self.page_delay)
        fault = self._fault(collection, page_no)
        if fault is not None:
            entry["status"] = fault.kind
            if fault.kind == "429":
                return self._send(h, 429, b'{"imsx_codeMajor":"failure"}',
                                  {"Retry-After": str(int(fault.seconds or 1))})
            if fault.kind in ("500", "503"):
                return self._send(h, int(fault.kind), b'{"imsx_codeMajor":"failure"}')
            if fault.kind == "401":
                with self.lock:
                    self.tokens.discard(auth[7:])  # revoked: the client must fetch a new one
                return self._send(h, 401, b"{}", {"WWW-Authenticate": "Bearer"})
            if fault.kind == "malformed":
                return self._send(h, 200, b'{"users": [{"sourcedId": "x", ')
            if fault.kind == "not-object":
                return self._send(h, 200, json.dumps({collection: ["not an object"]}).encode())
            if fault.kind == "slow":
                time.sleep(fault.seconds)
        records = self.records.get(collection, [])
        flt = q.get("filter")
        if flt:
            assert flt.startswith("dateLastModified>'") and flt.endswith("'"), flt
            since = flt[len("dateLastModified>'"):-1]
            records = [r for r in records if _instant(r["dateLastModified"]) > _instant(since)]
        fields = q.get("fields")
        chosen = records[offset:offset + limit]
        if fields:
            keep = set(fields.split(","))
            chosen = [{k: v for k, v in r.items() if k in keep} for r in chosen]
        headers = {"X-Total-Count": str(len(records))}
        links = []
        base = f"https://127.0.0.1:{self.port}{url.path}"
        rest = "".join(f"&{k}={v}" for k, v in (("fields", fields), ("filter", flt)) if v)
        rest = rest.replace("'", "%27").replace(">", "%3E").replace(",", "%2C")
        if offset + limit < len(records):
            nxt = f"{base}?limit={limit}&offset={offset + limit}{rest}"
            if fault is not None and fault.kind == "bad-link":
                nxt = f"https://evil.example{url.path}?limit={limit}&offset={offset + limit}"
            links.append(f'<{nxt}>; rel="next"')
        last = max(0, (len(records) - 1) // max(limit, 1)) * limit
        links.append(f'<{base}?limit={limit}&offset={last}{rest}>; rel="last"')
        headers["Link"] = ", ".join(links)
        if fault is None or fault.kind != "slow":  # a slow answer stays "slow" (the client gave up on it)
            entry["status"] = 200
        self._send(h, 200, json.dumps({collection: chosen}).encode(), headers)


def _instant(s: str) -> str:
    """ISO 8601 UTC timestamps compared as instants: normalised to microseconds."""
    s = s.rstrip("Z")
    date, _, frac = s.partition(".")
    return f"{date}.{(frac + '000000')[:6]}"


def main(argv: list[str] | None = None) -> int:
    """Serve one generated district until killed (bench/roster_sync.sh): prints one JSON line with the
    connection to PUT and the number of records."""
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures/roster"))
    import generate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cert-dir", required=True)
    ap.add_argument("--schools", type=int, default=200)
    ap.add_argument("--staff", type=int, default=15000)
    ap.add_argument("--students", type=int, default=150000)
    args = ap.parse_args(argv)
    cert_dir = Path(args.cert_dir)
    p = Provider(cert_dir / "cert.pem", cert_dir / "key.pem")
    p.records = district_records(generate.District(schools=args.schools, staff=args.staff,
                                                   students=args.students))
    conn = p.connection()
    conn["records"] = sum(len(v) for v in p.records.values())
    print(json.dumps(conn), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.exit(main())
