"""A write with an Idempotency-Key survives a crash between its commit and its reply (docs/conventions.md,
"Idempotency"): the key, the change, its events and the stored answer commit in one transaction, so a crash
leaves all of them or none, and the client's retry is answered at once with the stored answer. No retry runs the
write twice, and none waits for a timer.

The window is hit every time, not by chance: the service runs with HG_TEST_PAUSE_AFTER_COMMIT_MS (honoured only
by the sanitizer build, made with -DHG_TEST_HOOKS), so each keyed write sleeps after its COMMIT and before it
answers; the test waits for the service's log line saying so, then kills the service, or PostgreSQL, with
SIGKILL. It runs on every service's Probe POST (services.py: `idempotent_post`).
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest

import requests

from hgtest import DURABLE_PG_OPTS, PG_ARGS, assert_json, deploy_script, kill9_postgres, new_user, poll, token

pytestmark = pytest.mark.disruptive

PAUSE_MS = 4000  # long enough to kill something inside the window; the test never waits it out
RETRY_WITHIN_S = 5.0  # the retry after a crash must be answered this fast (no minute of 409s)
PAUSE_LINE = "test hook: pausing"


class Paused:
    """The target's service restarted with the pause after every keyed commit; restarted plainly after."""

    def __init__(self, target) -> None:
        self.svc = target.process
        self.plain_env = dict(self.svc.env)

    def __enter__(self) -> Paused:
        self.svc.stop()
        self.svc.env = {**self.plain_env, "HG_TEST_PAUSE_AFTER_COMMIT_MS": str(PAUSE_MS)}
        self.svc.start()
        return self

    def __exit__(self, *exc) -> None:
        self.svc.env = self.plain_env
        if self.svc.alive():
            self.svc.stop()
        self.svc.start()

    def send_until_paused(self, post, client, key: str, timeout: float = 15) -> tuple[threading.Thread, dict]:
        """Sends the keyed POST in the background and returns once the service sleeps after its COMMIT."""
        mark = len(self.svc.log_text())
        sent = send_in_background(post, client, key)
        ok = poll(lambda: PAUSE_LINE in self.svc.log_text()[mark:], timeout, interval=0.05)
        assert ok, f"{self.svc.name} never paused after a commit\n{self.svc.log_tail(40)}"
        return sent


def keyed_writer(target, district: str):
    """The target's keyed POST, a client allowed to send it, and a new key."""
    post = target.probe.idempotent_post
    return post, target.api(token(district, new_user(), [post.route.caller])), str(uuid.uuid4())


def send_in_background(post, client, key: str) -> tuple[threading.Thread, dict]:
    """Sends the POST on a thread; the outcome (a response, or the exception) lands in the returned dict."""
    out: dict = {}

    def run() -> None:
        try:
            out["response"] = post.send(client, post.route.body, key)
        except requests.RequestException as e:
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def retry(post, client, key: str):
    """The client's retry with the same key, timed."""
    t0 = time.monotonic()
    r = post.send(client, post.route.body, key)
    return r, time.monotonic() - t0


def district_events(target, district: str, want: int) -> list:
    return target.events.collect(match=lambda e: e.value.get("districtid") == district,
                                 until=lambda evs: len(evs) >= want, timeout=20, settle=2.0,
                                 keep_raw=target.raw_of(district))


def assert_once(target, post, client, district: str, answer: dict) -> None:
    """One change for the key, and one set of its events."""
    listed = post.listed(target, client, district)
    assert listed == post.created(answer), f"the key made {listed}, not just {post.created(answer)}"
    found = district_events(target, district, len(post.events))
    # Delivery is at least once: a relay that published but could not mark the row sent (the database died
    # between the two) publishes it again after the restart, with the same id, which consumers apply once.
    # What must hold is one event per change: one id per event type, and copies identical to the first.
    by_id: dict = {}
    for e in found:
        first = by_id.setdefault(e.value.get("id"), e.value)
        assert e.value == first, f"two different events share the id {e.value.get('id')}"
    assert sorted(str(v.get("type")) for v in by_id.values()) == list(post.events), \
        "one write with one key must emit its events once"


def test_service_killed_between_commit_and_reply(target, district):
    post, client, key = keyed_writer(target, district)
    with Paused(target) as paused:
        thread, out = paused.send_until_paused(post, client, key)
        paused.svc.kill9()
        thread.join(timeout=10)
        assert "error" in out, f"the killed service answered: {out}"
        paused.svc.env = paused.plain_env
        paused.svc.start()
        r, waited = retry(post, client, key)
    answer = assert_json(r, post.route.ok)
    assert r.headers.get("Idempotent-Replayed") == "true", "the retry ran the write again"
    assert waited < RETRY_WITHIN_S, f"the retry after the crash took {waited:.1f} s"
    assert_once(target, post, client, district, answer)


def test_database_killed_between_commit_and_reply(target, district, durable_postgres):
    post, client, key = keyed_writer(target, district)
    with Paused(target) as paused:
        thread, out = paused.send_until_paused(post, client, key)
        kill9_postgres()
        try:
            thread.join(timeout=PAUSE_MS / 1000 + 15)
            # The answer was made and stored before COMMIT: the service still sends it with the database gone.
            first = out.get("response")
            assert first is not None, f"no answer: {out}"
            created = assert_json(first, post.route.ok)
        finally:
            deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": DURABLE_PG_OPTS})
        # The pool holds connections the dead server closed; each answers 503 once before it is replaced.
        reader = target.api(token(district, new_user(), ["district_admin"]))  # every reader may list it
        assert poll(lambda: reader.get(target.probe.collection).status_code == 200, 20, interval=0.2), \
            "the service does not read from the database after PostgreSQL restarted"
        r, waited = retry(post, client, key)
    assert assert_json(r, post.route.ok) == created, "the retry's answer differs from the one acknowledged"
    assert r.headers.get("Idempotent-Replayed") == "true", "the retry ran the write again"
    assert waited < RETRY_WITHIN_S, f"the retry after the crash took {waited:.1f} s"
    assert_once(target, post, client, district, created)
