"""Micro-credentials, part 3: the award. An awarded submission issues one Open Badges 3.0 AchievementCredential:
it validates against 1EdTech's schema (/work/shared/standards/openbadges3/validate_ob3.py), its VC-JWT verifies
with an independent library (PyJWT + cryptography) against the public JWKS, a revocation shows in the district's
status list (itself a verified VC-JWT), the award's credit reaches the transcript exactly once (also when the
review is retried with its Idempotency-Key), the events, and what other districts and anonymous callers see."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import jwt as pyjwt
import requests
from catalog_support import District, of_district
from credentials_support import SUBMISSIONS, definition, evidence, review
from hgtest import SPEC, assert_json, assert_problem

OB3 = Path("/work/shared/standards/openbadges3")
AWARDS = "/v1/credentials/awards"


def validate_ob3(tmp_path: Path, credential: dict | None = None, jwt_text: str | None = None) -> str:
    """Runs 1EdTech's schema through validate_ob3.py on a credential (or a JWT's payload); returns its output."""
    path = tmp_path / f"{uuid.uuid4()}.{'jwt' if jwt_text else 'json'}"
    path.write_text(jwt_text if jwt_text else json.dumps(credential))
    args = [sys.executable, str(OB3 / "validate_ob3.py")] + (["--jwt"] if jwt_text else []) + [str(path)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def public_get(client, path: str) -> requests.Response:
    """The same service without a token, as a verifier calls it."""
    return requests.get(client.base_url + path, timeout=10)


def jwks_key(client, kid: str):
    keys = assert_json(public_get(client, "/v1/credentials/jwks.json"), 200)["keys"]
    match = [k for k in keys if k["kid"] == kid]
    assert len(match) == 1, keys
    return pyjwt.PyJWK(match[0]).key


def verify(client, token: str) -> dict:
    """PyJWT checks the ES256 signature with the JWKS key the header names (not the project's code)."""
    header = pyjwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("ES256", "test-issuer-1")
    return pyjwt.decode(token, jwks_key(client, header["kid"]), algorithms=["ES256"],
                        options={"verify_aud": False})


def status_bit(client, credential: dict) -> int:
    """Fetches the status list the credential names, verifies it, and reads the credential's bit."""
    entry = credential["credentialStatus"]
    prefix = "https://pd.example.org"
    assert entry["statusListCredential"].startswith(prefix + "/v1/credentials/status/")
    r = public_get(client, entry["statusListCredential"][len(prefix):])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/vc+jwt"), r.text[:300]
    claims = verify(client, r.text)
    vc = claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert vc["id"] == entry["statusListCredential"] and vc["issuer"]["id"] == credential["issuer"]["id"]
    subject = vc["credentialSubject"]
    assert subject["statusPurpose"] == "revocation" and subject["encodedList"].startswith("u")
    encoded = subject["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert len(bits) == 131072 // 8
    i = int(entry["statusListIndex"])
    return (bits[i // 8] >> (7 - i % 8)) & 1


def awarded(api, recipient: dict | None = None, credits: float = 15, credit_type: str = "Hours"):
    d = District(api)
    reviewer, t = d.teacher(), d.teacher()
    made = definition(d, [reviewer.sub], credits=credits, credit_type=credit_type)
    body = {"definition_id": made["id"], "evidence": evidence("link", "reflection")}
    if recipient is not None:
        body["recipient"] = recipient
    s = assert_json(t.post(SUBMISSIONS, json=body), 201)
    key = str(uuid.uuid4())
    r = reviewer.post(f"{SUBMISSIONS}/{s['id']}/review", json={"decision": "award", "scores": [3, 4]},
                      headers={"Idempotency-Key": key})
    done = assert_json(r, 200)
    SPEC.check("resources.yaml", "MicrocredentialSubmission", done)
    assert done["status"] == "awarded" and done["credential_id"]
    return d, reviewer, t, made, done, key


def test_the_credential_validates_and_verifies(api, tmp_path):
    d, reviewer, t, made, done, _ = awarded(api, recipient={"email": "Ada.Byron@Example.org"})
    r = public_get(t, f"{AWARDS}/{done['credential_id']}")
    body = assert_json(r, 200)
    SPEC.check("resources.yaml", "MicrocredentialCredential", body)
    vc = body["credential"]
    assert body["status"] == "active" and body["revoked_at"] is None
    # 1EdTech's JSON schema, on the credential and on the JWT's payload.
    assert "OK" in validate_ob3(tmp_path, credential=vc)
    assert "OK" in validate_ob3(tmp_path, jwt_text=body["jwt"])
    # What it says, worked out from what was defined and awarded.
    assert vc["id"] == f"urn:uuid:{done['credential_id']}"
    assert vc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert vc["issuer"] == {"id": f"https://pd.example.org/v1/credentials/issuers/{d.id}", "type": ["Profile"],
                            "name": "Homegrown professional learning"}
    assert vc["validFrom"] == done["awarded_at"]
    achievement = vc["credentialSubject"]["achievement"]
    assert (achievement["name"], achievement["description"], achievement["achievementType"]) == (
        made["name"], made["description"], "MicroCredential")
    assert achievement["criteria"]["narrative"].startswith("1. Criterion 1: at least level 3 of 4 (Proficient).")
    [alignment] = achievement["alignment"]
    assert (alignment["targetName"], alignment["targetFramework"], alignment["targetCode"], alignment["targetUrl"]) == (
        "Formative assessment", "Learning Forward Standards for Professional Learning", "LF-DATA",
        "https://learningforward.org/standards/data/")
    [identity] = vc["credentialSubject"]["identifier"]
    assert (identity["identityType"], identity["hashed"]) == ("emailAddress", True)
    # The holder proves the email: sha256 of the email (lower-cased) followed by the salt.
    digest = hashlib.sha256(("ada.byron@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${digest}"
    assert vc["credentialSubject"]["creditsEarned"] == 15
    # The VC-JWT: verified by PyJWT with the public JWKS key; its vc claim is the credential.
    claims = verify(t, body["jwt"])
    assert claims["vc"] == vc and claims["jti"] == vc["id"] and claims["iss"] == vc["issuer"]["id"]
    assert "sub" not in claims
    # A tampered payload does not verify.
    h, p, sig = body["jwt"].split(".")
    forged = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    forged["vc"]["credentialSubject"]["achievement"]["name"] = "Something else"
    p2 = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    try:
        verify(t, f"{h}.{p2}.{sig}")
        raise AssertionError("a tampered credential verified")
    except pyjwt.InvalidSignatureError:
        pass
    # The JWKS holds the key of HG_RESOURCES_CREDENTIAL_KEY_FILE.
    from cryptography.hazmat.primitives import serialization

    from services import credential_key_file

    pem = serialization.load_pem_private_key(Path(credential_key_file()).read_bytes(), None)
    assert jwks_key(t, "test-issuer-1").public_numbers() == pem.public_key().public_numbers()
    assert status_bit(t, vc) == 0
    # The submission names its credential; an unknown one is a 404 for anyone.
    assert assert_json(t.get(f"{SUBMISSIONS}/{done['id']}"), 200)["credential_id"] == done["credential_id"]
    assert_problem(public_get(t, f"{AWARDS}/{uuid.uuid4()}"), 404, "not-found")


def test_a_did_recipient(api, tmp_path):
    _, _, t, _, done, _ = awarded(api, recipient={"did": "did:example:ebfeb1f712ebc6f1c276e12ec21"}, credits=0.5,
                                  credit_type="CEUs")
    vc = assert_json(public_get(t, f"{AWARDS}/{done['credential_id']}"), 200)
    assert "OK" in validate_ob3(tmp_path, credential=vc["credential"])
    subject = vc["credential"]["credentialSubject"]
    assert subject["id"] == "did:example:ebfeb1f712ebc6f1c276e12ec21" and "identifier" not in subject
    assert "creditsEarned" not in subject  # CEUs are not credit hours
    assert verify(t, vc["jwt"])["sub"] == "did:example:ebfeb1f712ebc6f1c276e12ec21"


def test_recipient_validation(api):
    d = District(api)
    reviewer, t = d.teacher(), d.teacher()
    made = definition(d, [reviewer.sub])
    for recipient, fields in (({"email": "not-an-email"}, {"recipient.email"}), ({"did": "web:x"}, {"recipient.did"}),
                              ({"email": "a@b.org", "did": "did:x:y"}, {"recipient"}), ({}, {"recipient"}),
                              ({"phone": "1"}, {"recipient.phone"})):
        p = assert_problem(t.post(SUBMISSIONS, json={"definition_id": made["id"], "evidence": evidence("link", "reflection"),
                                                     "recipient": recipient}), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (recipient, p["errors"])


def test_transcript_credit_once_and_revocation(api, tmp_path):
    d, reviewer, t, made, done, key = awarded(api, credits=12.5)
    # The review retried with its Idempotency-Key answers the same and issues nothing more.
    again = reviewer.post(f"{SUBMISSIONS}/{done['id']}/review", json={"decision": "award", "scores": [3, 4]},
                          headers={"Idempotency-Key": key})
    assert assert_json(again, 200)["credential_id"] == done["credential_id"]
    transcript = d.transcript(t, t.sub)
    entries = [e for e in transcript["data"] if e["kind"] == "credential"]
    assert [(e["id"], e["title"], e["credits"], e["credit_type"], e["clock_hours"]) for e in entries] == [
        (done["credential_id"], made["name"], 12.5, "Hours", 12.5)]
    assert transcript["totals"]["Hours"] == {"credits": 12.5, "entries": 1, "clock_hours": 12.5}
    # Only a district admin revokes, once, with a reason; the bit is set and the credit leaves the transcript.
    assert_problem(reviewer.post(f"{AWARDS}/{done['credential_id']}/revoke", json={"reason": "x"}), 403, "forbidden")
    p = assert_problem(d.admin.post(f"{AWARDS}/{done['credential_id']}/revoke", json={}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["reason"]
    revoked = assert_json(d.admin.post(f"{AWARDS}/{done['credential_id']}/revoke",
                                       json={"reason": "Evidence was plagiarised."}), 200)
    SPEC.check("resources.yaml", "MicrocredentialAward", revoked)
    assert (revoked["revoked_by"], revoked["revocation_reason"]) == (d.admin_id, "Evidence was plagiarised.")
    p = assert_problem(d.admin.post(f"{AWARDS}/{done['credential_id']}/revoke", json={"reason": "again"}), 409,
                       "conflict")
    assert p["reason"] == "credential_revoked"
    body = assert_json(public_get(t, f"{AWARDS}/{done['credential_id']}"), 200)
    assert body["status"] == "revoked" and body["revoked_at"] == revoked["revoked_at"]
    assert status_bit(t, body["credential"]) == 1
    assert [e for e in d.transcript(t, t.sub)["data"] if e["kind"] == "credential"] == []
    # Another credential of the district keeps its bit clear: one bit each.
    other = District(api)
    assert_problem(other.admin.post(f"{AWARDS}/{done['credential_id']}/revoke", json={"reason": "x"}), 404,
                   "not-found")


def test_status_list_bits_are_per_credential(api):
    d = District(api)
    reviewer = d.teacher()
    made = definition(d, [reviewer.sub])
    creds = []
    for _ in range(3):
        t = d.teacher()
        s = assert_json(t.post(SUBMISSIONS, json={"definition_id": made["id"],
                                                  "evidence": evidence("link", "reflection")}), 201)
        done = assert_json(review(reviewer, s["id"], "award", [4, 4]), 200)
        creds.append(assert_json(public_get(t, f"{AWARDS}/{done['credential_id']}"), 200)["credential"])
    indices = [int(c["credentialStatus"]["statusListIndex"]) for c in creds]
    assert indices == [0, 1, 2]  # the district's own list, in award order
    assert_json(d.admin.post(f"{AWARDS}/{creds[1]['id'][len('urn:uuid:'):]}/revoke", json={"reason": "r"}), 200)
    assert [status_bit(reviewer, c) for c in creds] == [0, 1, 0]
    # An empty list of another district, and what is not a list.
    empty = public_get(reviewer, f"/v1/credentials/status/{uuid.uuid4()}/0")
    assert empty.status_code == 200
    for bad in (f"/v1/credentials/status/{d.id}/x", f"/v1/credentials/status/{d.id}/-1",
                f"/v1/credentials/status/not-a-uuid/0"):
        assert_problem(public_get(reviewer, bad), 404, "not-found")


def test_events(api, events):
    d, reviewer, t, made, done, _ = awarded(api)
    assert_json(d.admin.post(f"{AWARDS}/{done['credential_id']}/revoke", json={"reason": "r"}), 200)
    kinds = {"credential.issued", "credential.revoked"}
    found = events.collect(match=lambda ev: ev.type in kinds and of_district(d.id)(ev),
                           until=lambda evs: len(evs) >= 2, timeout=30, settle=2.0)
    assert Counter(ev.type for ev in found) == {"credential.issued": 1, "credential.revoked": 1}
    issued = [ev for ev in found if ev.type == "credential.issued"][0]
    assert issued.value["subject"] == done["credential_id"]
    assert issued.value["data"]["submission_id"] == done["id"] and issued.value["data"]["credits"] == 15
