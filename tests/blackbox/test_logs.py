"""No secret in any log: after every other test (marker `last`), every file the run wrote under its log
directory (each service's output over all its restarts, the stack's, the gateway's) is searched for what the
tests handed to the services that must never be written down: the JWT secret and every other signing secret,
the database password in the services' connection URL (hgtest.SERVICE_PG_URL), the payload and signature of
every token minted during the run (hgtest.TOKEN_PARTS), and whatever a test registered with
hgtest.never_logged (e.g. an anonymous survey answer, every calendar feed secret test_calendar_feeds.py issued
or mistyped: the feeds' addresses carry them, and both access logs must mask them). docs/security.md (API8 and the logging rows) points here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hgtest import LOG_DIR, SECRETS, TOKEN_PARTS, token

pytestmark = pytest.mark.last

# Token segments are base64url runs; a log line may hold a whole token ("a.b.c"), split at the dots.
B64URL_RUN = re.compile(r"[A-Za-z0-9_-]{16,}")


def leaks(path: Path, secrets: set[str], token_parts: set[str]) -> list[str]:
    """What of `secrets` (as substrings) and `token_parts` (as whole base64url runs) the file holds, each as
    `file:line: what` with the secret cut short, so a failure does not print it whole either."""
    found = []
    with path.open(errors="replace") as f:
        for n, line in enumerate(f, 1):
            for s in secrets:
                if s in line:
                    found.append(f"{path.name}:{n}: a secret ({s[:6]}…)")
            for run in set(B64URL_RUN.findall(line)) & token_parts:
                found.append(f"{path.name}:{n}: part of a token ({run[:6]}…)")
    return found


def test_the_check_finds_a_planted_secret(tmp_path):
    """The search itself: a token and a secret written into a log are found, a clean log is not flagged."""
    tok = token("d", "s", ["teacher"], secret="planted-secret-" + "p" * 33)
    log = tmp_path / "service.log"
    log.write_text(f"ok line\nrequest rejected: Authorization: Bearer {tok}\nconfig secret=planted-secret-pp\n")
    hits = leaks(log, {"planted-secret-" + "p" * 33, "planted-secret-pp"}, set(tok.split(".")[1:]))
    payload, signature = tok.split(".")[1:]
    assert sorted(hits) == sorted([f"service.log:2: part of a token ({payload[:6]}…)",
                                   f"service.log:2: part of a token ({signature[:6]}…)",
                                   "service.log:3: a secret (plante…)"]), hits
    (tmp_path / "clean.log").write_text("GET /v1/library/resources 200 district=abc\n")
    assert leaks(tmp_path / "clean.log", SECRETS, TOKEN_PARTS) == []


def test_no_secret_in_any_log():
    files = sorted(p for p in LOG_DIR.rglob("*") if p.is_file())
    logs = [p for p in files if p.stat().st_size > 0]
    assert logs, f"no log was written under {LOG_DIR}"
    assert len(TOKEN_PARTS) > 100, f"only {len(TOKEN_PARTS)} token parts recorded: did the run mint tokens?"
    found = [hit for p in logs for hit in leaks(p, SECRETS, TOKEN_PARTS)]
    assert not found, f"{len(found)} secrets in the logs, e.g. {found[:10]}"
