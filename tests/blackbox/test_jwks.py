"""Tokens from an identity provider: RS256 and ES256 keys in a JWKS file (HG_JWT_JWKS_FILE), chosen by kid.

A second hg-roster runs with the key set (on HG_TEST_PORT_BASE + 9, which the gateway's browser test only uses
while it runs) and the test secret still configured: HS256 tokens must be refused all the same. The key set
rotates while it runs: a new key is accepted within a couple of seconds without a restart, a removed key is
refused, and a broken file leaves the last good set in use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hgtest import (
    AUDIENCE,
    BIN_DIR,
    ISSUER,
    JWT_SECRET,
    LOG_DIR,
    SERVICE_PORT_BASE,
    TEST_RUN_DIR,
    ServiceProcess,
    new_district,
    new_user,
    poll,
    token,
)
from services import BY_NAME, _stop_and_check, service_env

SCHOOLS = "/v1/roster/schools"
PORT = SERVICE_PORT_BASE + 9


def _b64(n: int, size: int | None = None) -> str:
    raw = n.to_bytes(size or (n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Key:
    def __init__(self, kid: str, kind: str) -> None:
        self.kid = kid
        self.alg = "RS256" if kind == "rsa" else "ES256"
        self.private = (rsa.generate_private_key(65537, 2048) if kind == "rsa"
                        else ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict:
        pub = self.private.public_key().public_numbers()
        if self.alg == "RS256":
            return {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256", "n": _b64(pub.n), "e": _b64(pub.e)}
        return {"kty": "EC", "kid": self.kid, "use": "sig", "alg": "ES256", "crv": "P-256",
                "x": _b64(pub.x, 32), "y": _b64(pub.y, 32)}

    def token(self, kid: str | None = "", alg: str | None = None) -> str:
        now = int(time.time())
        claims = {"sub": new_user(), "district_id": new_district(), "roles": ["teacher"], "iss": ISSUER,
                  "aud": AUDIENCE, "iat": now, "exp": now + 300}
        headers = {} if kid is None else {"kid": kid or self.kid}
        return jwt.encode(claims, self.private, algorithm=alg or self.alg, headers=headers)

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)


def write_jwks(path: Path, text: str) -> None:
    """As an identity provider's sync would: a new file renamed over the old one."""
    tmp = path.with_suffix(".new")
    tmp.write_text(text)
    os.replace(tmp, path)


RSA1, EC1, RSA2 = Key("rsa-1", "rsa"), Key("ec-1", "ec"), Key("rsa-2", "rsa")


@pytest.fixture(scope="module")
def jwks_path() -> Path:
    d = TEST_RUN_DIR / "jwks"
    d.mkdir(parents=True, exist_ok=True)
    p = d / "jwks.json"
    write_jwks(p, json.dumps({"keys": [RSA1.jwk(), EC1.jwk()]}))
    return p


@pytest.fixture(scope="module")
def idp_roster(jwks_path):
    env = service_env(BY_NAME["roster"])
    env.update({"HG_HTTP_PORT": str(PORT), "HG_JWT_JWKS_FILE": str(jwks_path)})
    svc = ServiceProcess("hg-roster (JWKS)", BIN_DIR / "hg-roster", PORT, env, LOG_DIR / "hg-roster-jwks.log",
                         TEST_RUN_DIR / "hg-roster-jwks.pid")
    svc.log_path.unlink(missing_ok=True)
    svc.start()
    yield svc
    _stop_and_check(svc)


def status(svc: ServiceProcess, tok: str) -> int:
    return requests.get(svc.url + SCHOOLS, headers={"Authorization": f"Bearer {tok}"}, timeout=10).status_code


def test_rs256_and_es256_tokens_by_kid(idp_roster):
    assert status(idp_roster, RSA1.token()) == 200
    assert status(idp_roster, EC1.token()) == 200
    assert status(idp_roster, RSA1.token(kid="rsa-9")) == 401  # unknown kid
    assert status(idp_roster, RSA1.token(kid=None)) == 401  # no kid
    assert status(idp_roster, RSA2.token(kid="rsa-1")) == 401  # the kid of another key
    assert status(idp_roster, EC1.token(kid="rsa-1")) == 401  # an ES256 token naming an RSA key


def test_hs256_is_refused_when_a_public_key_is_configured(idp_roster):
    district, sub = new_district(), new_user()
    assert status(idp_roster, token(district, sub, ["teacher"])) == 401  # the configured HS256 secret
    # Algorithm confusion: HS256 with the provider's public key as the secret.
    now = int(time.time())
    claims = {"sub": sub, "district_id": district, "roles": ["teacher"], "iss": ISSUER, "aud": AUDIENCE,
              "iat": now, "exp": now + 300}
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": "rsa-1"}).encode()).rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    sig = hmac.new(RSA1.public_pem(), header + b"." + payload, hashlib.sha256).digest()
    forged = (header + b"." + payload + b"." + base64.urlsafe_b64encode(sig).rstrip(b"=")).decode()
    assert status(idp_roster, forged) == 401
    assert JWT_SECRET  # still configured for this service: refused anyway


def test_rotation_without_restart(idp_roster, jwks_path):
    pid = idp_roster.proc.pid
    # The provider adds rsa-2 and drops rsa-1.
    write_jwks(jwks_path, json.dumps({"keys": [RSA2.jwk(), EC1.jwk()]}))
    new = RSA2.token()
    assert poll(lambda: status(idp_roster, new) == 200, 5), "the new key was not taken within 5 s"
    assert status(idp_roster, RSA1.token()) == 401
    assert status(idp_roster, EC1.token()) == 200
    # A broken file leaves the last good set in use (and says so in the log once).
    write_jwks(jwks_path, '{"keys": [')
    time.sleep(1.5)
    assert status(idp_roster, RSA2.token()) == 200
    assert "key set not reloaded" in idp_roster.log_text()
    # Back to a good file with rsa-1 only.
    write_jwks(jwks_path, json.dumps({"keys": [RSA1.jwk()]}))
    assert poll(lambda: status(idp_roster, RSA1.token()) == 200, 5)
    assert status(idp_roster, RSA2.token()) == 401
    assert idp_roster.proc.pid == pid and idp_roster.alive()  # the same process all along
    # The configuration line names the file; no key material is logged.
    log = idp_roster.log_text()
    assert str(jwks_path) in log
    assert RSA1.jwk()["n"] not in log


def test_a_bad_key_set_stops_start_up_naming_the_variable(tmp_path):
    bad = tmp_path / "jwks.json"
    bad.write_text('{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"}]}')
    env = service_env(BY_NAME["roster"])
    env.update({"HG_HTTP_PORT": str(PORT), "HG_JWT_JWKS_FILE": str(bad)})
    p = subprocess.run([str(BIN_DIR / "hg-roster")], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "HG_JWT_JWKS_FILE" in p.stdout + p.stderr
