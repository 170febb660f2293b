"""Helpers for the black-box tests: tokens, HTTP clients, the service process, Kafka, spec schemas.

Fixtures live in conftest.py (generated from the service list in services.py); everything here is plain code
the tests import (`from hgtest import ...`).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import requests
import yaml
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from kill9 import kill9_tree  # noqa: E402 - tools/kill9.py, shared with bench/crash.py

ISSUER = "homegrown-dev"
AUDIENCE = "homegrown"
# 48 characters; only ever used against the throwaway test stack.
JWT_SECRET = "hg-blackbox-test-secret-do-not-use-0123456789abc"
assert len(JWT_SECRET) == 48

PROBLEM_BASE = "https://homegrown.example/problems/"
RESOURCES_TOPIC = "homegrown.resources"
# The test stack's deploy-script arguments (as in run.sh); the disruptive tests pause and restart Kafka.
# The test stack's places; tests/blackbox/run.sh sets these (HG_TEST_SLOT moves every port, so
# several checkouts can run their suites at once).
TEST_RUN_DIR_REL = os.environ.get("HG_TEST_RUN_DIR", ".run/test")
PG_PORT = os.environ.get("HG_TEST_PG_PORT", "25433")
KAFKA_PORT = os.environ.get("HG_TEST_KAFKA_PORT", "29093")
KAFKA_CONTROLLER_PORT = os.environ.get("HG_TEST_KAFKA_CONTROLLER_PORT", "29193")
SERVICE_PORT_BASE = int(os.environ.get("HG_TEST_PORT_BASE", "18080"))
TEST_RUN_DIR = ROOT / TEST_RUN_DIR_REL
LOG_DIR = TEST_RUN_DIR / "logs"
PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")
# What the services connect with: PG_URL with a password (the test stack trusts local connections, so any
# password works), so that the log check (test_logs.py) can prove no service ever logs it.
DB_PASSWORD = f"hg-db-password-{uuid.uuid4().hex[:12]}"
_pg = urlsplit(PG_URL)
SERVICE_PG_URL = PG_URL if _pg.password else _pg._replace(
    netloc=f"{_pg.username or 'postgres'}:{DB_PASSWORD}@{_pg.hostname}:{_pg.port}").geturl()
KAFKA_BROKERS = os.environ.get("HG_TEST_KAFKA", f"127.0.0.1:{KAFKA_PORT}")
_bin = Path(os.environ.get("HG_BIN_DIR", "build/asan/bin"))
BIN_DIR = _bin if _bin.is_absolute() else ROOT / _bin  # the service binaries (HG_BIN_DIR; valgrind wraps them)
KAFKA_ARGS = (f"{TEST_RUN_DIR_REL}/kafka", KAFKA_PORT, KAFKA_CONTROLLER_PORT)
PG_ARGS = (f"{TEST_RUN_DIR_REL}/pg", PG_PORT)
PG_EXTRA_OPTS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
# The test stack runs PostgreSQL with synchronous_commit=off (speed): a commit is acknowledged before its WAL is
# written, so a crash right after it may lose it — the setting's documented trade. The tests that kill PostgreSQL
# run it as production does (the `durable_postgres` fixture): synchronous_commit=on; fsync may stay off, as a
# SIGKILL does not lose what the OS holds.
DURABLE_PG_OPTS = "-c fsync=off -c full_page_writes=off -c synchronous_commit=on"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "LeakSanitizer", "runtime error:")

HTTP_TIMEOUT = 15  # seconds, for every request the tests make


# ---------------------------------------------------------------------------------------------------------
# Tokens


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# Everything secret the tests hand to a service: no log line the run writes may contain any of it
# (test_logs.py runs last). Whole strings (`SECRETS`) and the base64url segments of every token minted
# (`TOKEN_PARTS`: payload and signature, each unique to its token).
SECRETS: set[str] = {JWT_SECRET, DB_PASSWORD}
TOKEN_PARTS: set[str] = set()


def never_logged(*values: str) -> None:
    """Adds values (a secret, a password, an anonymous answer) that no log of the run may contain."""
    SECRETS.update(v for v in values if v)


def token(district: str, sub: str, roles: Iterable[str], *, secret: str = JWT_SECRET, alg: str = "HS256",
          **overrides) -> str:
    """An HS256 token like the dev token service signs. `overrides` replace claims; a value of None drops
    the claim. `alg="none"` makes an unsigned token."""
    now = int(time.time())
    claims = {
        "sub": sub,
        "district_id": district,
        "roles": list(roles),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    if alg == "none":
        header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        payload = b64url(json.dumps(claims).encode())
        TOKEN_PARTS.add(payload)
        return f"{header}.{payload}."
    with warnings.catch_warnings():
        # HS384/HS512 with the 48-byte test secret: deliberate (the service must refuse the algorithm).
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        tok = jwt.encode(claims, secret, algorithm=alg)
    never_logged(secret if isinstance(secret, str) else "")
    TOKEN_PARTS.update(tok.split(".")[1:])
    return tok


def new_district() -> str:
    return str(uuid.uuid4())


def new_user() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------------------------------------------------
# HTTP


class Api(requests.Session):
    """A requests session bound to the service URL, optionally with a bearer token.
    Paths starting with "/" are relative to the service; a default timeout applies to every call."""

    def __init__(self, base_url: str, bearer: str | None = None) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        if bearer is not None:
            self.headers["Authorization"] = f"Bearer {bearer}"

    def request(self, method, url, *args, **kwargs):  # noqa: D102 - same as requests
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)


@dataclass
class RawResponse:
    """The parts of a requests.Response the assertions use."""

    status_code: int
    headers: http.client.HTTPMessage
    body: bytes
    request = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def raw_request(base_url: str, method: str, path: str, headers: dict[str, str],
                chunks: Iterable[bytes] = (), chunked: bool = False) -> RawResponse:
    """Sends a request byte by byte (explicit Content-Length or chunked framing) and reads the answer even
    when the server answers early and stops reading the body (as it may for a 413)."""
    u = urlsplit(base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=HTTP_TIMEOUT)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        try:
            for c in chunks:
                conn.send(b"%x\r\n%s\r\n" % (len(c), c) if chunked else c)
            if chunked:
                conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading everything: read that answer
        resp = conn.getresponse()
        return RawResponse(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def media_type(resp) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


# ---------------------------------------------------------------------------------------------------------
# Contract checks


class Spec:
    """JSON Schema validators for the components of api-spec/*.yaml (refs across files resolved)."""

    def __init__(self) -> None:
        resources = []
        for f in (ROOT / "api-spec").glob("*.yaml"):
            with f.open(encoding="utf-8") as fh:
                doc = yaml.safe_load(fh)
            resources.append((f"file:///api-spec/{f.name}", Resource.from_contents(doc, DRAFT202012)))
        self.registry = Registry().with_resources(resources)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, file: str, schema: str) -> Draft202012Validator:
        key = f"{file}#{schema}"
        if key not in self._validators:
            ref = {"$ref": f"file:///api-spec/{file}#/components/schemas/{schema}"}
            self._validators[key] = Draft202012Validator(ref, registry=self.registry)
        return self._validators[key]

    def check(self, file: str, schema: str, instance) -> None:
        errors = sorted(self.validator(file, schema).iter_errors(instance), key=lambda e: list(e.path))
        assert not errors, f"body does not match {file} {schema}:\n  " + "\n  ".join(
            f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:10]
        ) + f"\nbody: {json.dumps(instance)[:2000]}"


SPEC = Spec()


def assert_problem(resp, status: int, slug: str) -> dict:
    """The response is an RFC 9457 problem of the contract with this status and slug; returns the body."""
    body_text = resp.text
    assert resp.status_code == status, f"expected {status} {slug}, got {resp.status_code}: {body_text[:1000]}"
    assert media_type(resp) == "application/problem+json", (
        f"Content-Type {resp.headers.get('Content-Type')!r}, body {body_text[:500]}"
    )
    body = json.loads(body_text)
    SPEC.check("common.yaml", "Problem", body)
    assert body["type"] == PROBLEM_BASE + slug, body
    assert body["status"] == status, body
    assert body["title"], body
    rid = resp.headers.get("X-Request-Id")
    assert rid, "no X-Request-Id on the answer"
    assert body["request_id"] == rid, (body, rid)
    if resp.request is not None:
        assert body["instance"].split("?")[0] == urlsplit(resp.request.url).path, body
    return body


def assert_json(resp, status: int):
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text[:1000]}"
    assert media_type(resp) == "application/json", resp.headers.get("Content-Type")
    return resp.json()


def assert_resource(body: dict) -> dict:
    SPEC.check("resources.yaml", "Resource", body)
    for k in ("id", "district_id", "created_by"):
        assert UUID_RE.match(body[k]), (k, body[k])
    for k in ("created_at", "updated_at"):
        assert parse_time(body[k]).utcoffset().total_seconds() == 0, (k, body[k])
    return body


def parse_time(s: str) -> datetime:
    """RFC 3339 with a UTC offset ('Z' or +00:00); fails on anything else."""
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", s), s
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def etag(version: int) -> str:
    return f'"{version}"'


# ---------------------------------------------------------------------------------------------------------
# The service process


class ServiceProcess:
    """One service binary run as a child process, its output appended to a log file."""

    def __init__(self, name: str, binary: Path, port: int, env: dict[str, str], log_path: Path,
                 pid_path: Path) -> None:
        self.name = name
        self.binary = binary
        self.port = port
        self.env = env
        self.log_path = log_path
        self.pid_path = pid_path
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, ready_timeout: float = float(os.environ.get("HG_TEST_READY_TIMEOUT", "30"))) -> None:
        assert not self.alive(), f"{self.name} is already running"
        assert self.binary.exists(), f"{self.binary} is not built (run `make build` first)"
        self.starts += 1
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"==== test harness: start #{self.starts} of {self.name} ====\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [str(self.binary)], cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.pid_path.write_text(f"{self.proc.pid}\n")
        deadline = time.monotonic() + ready_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited with status {self.proc.returncode} during start-up\n{self.log_tail()}"
                )
            try:
                r = requests.get(self.url + "/readyz", timeout=2)
                if r.status_code == 200:
                    return
                last = f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as e:
                last = type(e).__name__
            time.sleep(0.1)
        self.kill9()
        raise AssertionError(f"{self.name} not ready within {ready_timeout:.0f} s (last /readyz: {last})\n"
                             f"{self.log_tail()}")

    def stop(self, timeout: float = float(os.environ.get("HG_TEST_STOP_TIMEOUT", "20"))) -> int:
        """SIGTERM, then wait (bounded). Returns the exit status; a hang is killed and fails."""
        assert self.proc is not None, f"{self.name} was never started"
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
                raise AssertionError(f"{self.name} did not exit within {timeout:.0f} s of SIGTERM\n"
                                     f"{self.log_tail()}") from None
        self.pid_path.unlink(missing_ok=True)
        return self.proc.returncode

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.pid_path.unlink(missing_ok=True)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        tail = self.log_text().splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_path} ---\n" + "\n".join(tail)

    def sanitizer_reports(self, since: int = 0) -> list[str]:
        text = self.log_text()[since:]
        return [ln for ln in text.splitlines() if any(m in ln for m in SANITIZER_MARKERS)]


def kill_leftover(pid_path: Path, binary_name: str) -> None:
    """Kills the process a crashed earlier run left behind, if the pid file still names one of ours."""
    try:
        pid = int(pid_path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        cmdline = ""
    if cmdline.endswith("/" + binary_name):
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.05)
    pid_path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------
# Kafka


@dataclass
class Event:
    key: str | None
    value: dict
    partition: int
    offset: int
    timestamp_ms: int  # the producer's create time (wall clock of the machine)

    @property
    def type(self) -> str | None:
        return self.value.get("type")

    @property
    def subject(self) -> str | None:
        return self.value.get("subject")


def covers(wanted, key: Callable[[Event], object]) -> Callable[[list[Event]], bool]:
    """An `until` for EventReader.collect: whether the events read so far name every one of `wanted` (key(e),
    None for an event that names none). Looks at each event once, so a collect of thousands of events stays
    linear (a set built from every event on every call made the faults-under-load reads take a minute)."""
    left = set(wanted)
    seen = 0

    def until(events: list[Event]) -> bool:
        nonlocal seen
        for e in events[seen:]:
            left.discard(key(e))
        seen = len(events)
        return not left

    return until


class EventReader:
    """Reads a topic from the beginning, every call with a new consumer group."""

    def __init__(self, brokers: str, topic: str = RESOURCES_TOPIC) -> None:
        self.brokers = brokers
        self.topic = topic

    def collect(self, match: Callable[[Event], bool], until: Callable[[list[Event]], bool],
                timeout: float = 20.0, settle: float = 0.0,
                keep_raw: Callable[[Event], bool] | None = None) -> list[Event]:
        """Events for which `match` holds, read from the start of the topic until `until(events)` holds
        (then `settle` more seconds, to catch duplicates) or `timeout` seconds passed. Never waits longer
        than timeout + settle. Messages that are not JSON objects are returned too (value {"_raw": ...}),
        so a test sees them instead of losing them: all of them, or those for which `keep_raw` holds (on a topic
        other tests also produce to)."""
        consumer = Consumer({
            "bootstrap.servers": self.brokers,
            "group.id": f"hg-blackbox-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "enable.partition.eof": False,
            "socket.timeout.ms": 5000,
        })
        found: list[Event] = []
        deadline = time.monotonic() + timeout
        settle_end: float | None = None
        try:
            self._assign_from_beginning(consumer, deadline)
            while True:
                now = time.monotonic()
                if settle_end is None and until(found):
                    settle_end = now + settle
                if settle_end is not None and now >= settle_end:
                    break
                if settle_end is None and now >= deadline:
                    break
                msg = consumer.poll(0.2)
                if msg is None:
                    continue
                if msg.error():
                    if msg.error().code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._TRANSPORT,
                                              KafkaError._ALL_BROKERS_DOWN):
                        continue
                    raise AssertionError(f"Kafka consumer error: {msg.error()}")
                raw = msg.value() or b""
                try:
                    value = json.loads(raw)
                    if not isinstance(value, dict):
                        value = {"_raw": raw.decode("utf-8", "replace")}
                except ValueError:
                    value = {"_raw": raw.decode("utf-8", "replace")}
                key = msg.key().decode("utf-8", "replace") if msg.key() is not None else None
                ev = Event(key, value, msg.partition(), msg.offset(), msg.timestamp()[1])
                if ("_raw" in value and (keep_raw is None or keep_raw(ev))) or ("_raw" not in value and match(ev)):
                    found.append(ev)
        finally:
            consumer.close()
        return found

    def _assign_from_beginning(self, consumer: Consumer, deadline: float) -> None:
        while True:
            md = consumer.list_topics(self.topic, timeout=5)
            t = md.topics.get(self.topic)
            if t is not None and t.error is None and t.partitions:
                consumer.assign([TopicPartition(self.topic, p, OFFSET_BEGINNING) for p in t.partitions])
                return
            if time.monotonic() >= deadline:
                raise AssertionError(f"topic {self.topic} does not exist on {self.brokers}")
            time.sleep(0.5)


def deploy_script(name: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> None:
    """Runs deploy/local/<name> with the test stack's arguments; fails with its output if it fails."""
    cmd = ["bash", str(ROOT / "deploy/local" / name), *args]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, **(env or {})})
    assert p.returncode == 0, f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"


def poll(fn: Callable[[], object], timeout: float, interval: float = 0.2):
    """Calls fn until it returns something truthy or timeout seconds pass; returns the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = fn()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


def kill9_postgres() -> None:
    """SIGKILL to the test stack's postmaster and every backend; the next start runs crash recovery."""
    pid_file = ROOT / PG_ARGS[0] / "data" / "postmaster.pid"
    if not pid_file.exists():
        pid_file = next((ROOT / PG_ARGS[0]).rglob("postmaster.pid"))
    kill9_tree(int(pid_file.read_text().split()[0]))


def kill9_kafka() -> None:
    """SIGKILL to the test stack's broker (no clean shutdown: the next start recovers its logs)."""
    kill9_tree(int((ROOT / KAFKA_ARGS[0] / "kafka.pid").read_text().strip()))
