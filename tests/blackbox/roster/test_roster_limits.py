"""Import limits, each with a clear 413 or 422 (the service runs with rosterlib.ROSTER_LIMITS): the zip's
size, its uncompressed size as declared and as actually inflated (a zip bomb whose directory lies), rows per
file, field length, entries in the zip."""

from __future__ import annotations

import io
import os
import struct
import zipfile

from hgtest import assert_problem, new_district, new_user, raw_request, token
from rosterlib import EDUCATORS, IMPORTS, ROSTER_LIMITS, by_sourced_id, generate, import_ok, list_all, post_zip

MAX_ZIP = ROSTER_LIMITS["HG_ROSTER_MAX_ZIP_BYTES"]
MAX_UNCOMPRESSED = ROSTER_LIMITS["HG_ROSTER_MAX_UNCOMPRESSED_BYTES"]
MAX_ROWS = ROSTER_LIMITS["HG_ROSTER_MAX_ROWS"]
MAX_FIELD = ROSTER_LIMITS["HG_ROSTER_MAX_FIELD_BYTES"]


def sis(roster, district):
    return roster(token(district, new_user(), ["sis_integration"]))


def lying_zip(files: dict[str, str], liar: str, content: bytes, claimed: int = 100) -> bytes:
    """files plus entry `liar` holding `content`, whose local header and directory entry both claim
    `claimed` uncompressed bytes (consistently, so only inflating reveals the truth)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
        z.writestr(liar, content)
    data = bytearray(buf.getvalue())
    name = liar.encode()
    for sig, name_len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        i = data.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if data[i + name_at:i + name_at + n] == name:
                struct.pack_into("<I", data, i + size_at, claimed)
            i = data.find(sig, i + 4)
    return bytes(data)


def test_zip_over_the_size_limit_is_413(roster, roster_service):
    bearer = token(new_district(), new_user(), ["sis_integration"])
    body = os.urandom(MAX_ZIP + 1)
    r = raw_request(roster_service.url, "POST", IMPORTS, {"Authorization": f"Bearer {bearer}",
                    "Content-Type": "application/zip", "Content-Length": str(len(body))},
                    [body[i:i + 65536] for i in range(0, len(body), 65536)])
    p = assert_problem(r, 413, "payload-too-large")
    assert str(MAX_ZIP) in p["detail"]


def test_zip_bomb_declared_in_the_directory_is_413(roster):
    files = generate.District().files()
    files["users.csv"] += "\r\n" * (MAX_UNCOMPRESSED // 2 + 1)  # blank lines: compress to almost nothing
    data = generate.zip_bytes(files)
    assert len(data) < 100_000
    p = assert_problem(post_zip(sis(roster, new_district()), data), 413, "payload-too-large")
    assert "declares more than" in p["detail"]


def test_zip_bomb_with_a_lying_directory_is_stopped_while_inflating(roster):
    files = generate.District().files()
    users = files.pop("users.csv").encode()
    data = lying_zip(files, "users.csv", users + b"\r\n" * (MAX_UNCOMPRESSED // 2 + 1))
    district = new_district()
    p = assert_problem(post_zip(sis(roster, district), data), 413, "payload-too-large")
    assert "inflates to more than" in p["detail"]
    # the same lie about a harmless file is no problem: sizes are counted as they are read
    ok = lying_zip(files, "users.csv", users)
    assert import_ok(sis(roster, district), ok)["counts"]["educators"]["created"] == 60


def test_too_many_rows_is_413(roster):
    d = generate.District(students=MAX_ROWS)  # users.csv: 61 staff + 5000 students + 500 guardians
    p = assert_problem(post_zip(sis(roster, new_district()), generate.zip_bytes(d.files())), 413,
                       "payload-too-large")
    assert p["detail"] == f"roles.csv has more than {MAX_ROWS} data rows"


def test_field_length(roster):
    district = new_district()
    d = generate.District()
    d.users[4].given = "G" * MAX_FIELD  # at the limit: fine
    import_ok(sis(roster, district), generate.zip_bytes(d.files()))
    admin = roster(token(district, new_user(), ["district_admin"]))
    assert by_sourced_id(list_all(admin, EDUCATORS))["stf-00005"]["given_name"] == "G" * MAX_FIELD

    d.users[4].given = "G" * (MAX_FIELD + 1)
    body = assert_problem(post_zip(sis(roster, district), generate.zip_bytes(d.files())), 422,
                          "validation-failed")
    assert [(e["file"], e["line"], e["column"]) for e in body["errors"]] == [("users.csv", 6, "givenName")]
    assert f"longer than {MAX_FIELD} bytes" in body["errors"][0]["reason"]

    # a runaway quoted field (never closed) is stopped at the limit too, not read to the end
    files = generate.District().files()
    files["orgs.csv"] += '"' + "x" * (MAX_UNCOMPRESSED // 4)
    body = assert_problem(post_zip(sis(roster, district), generate.zip_bytes(files)), 422, "validation-failed")
    assert [(e["file"], e["line"]) for e in body["errors"]] == [("orgs.csv", 7)]


def test_too_many_entries_is_422(roster):
    files = generate.District().files()
    for i in range(300):
        files[f"extra/{i}.txt"] = "x"
    body = assert_problem(post_zip(sis(roster, new_district()), generate.zip_bytes(files)), 422,
                          "validation-failed")
    assert "more than 256 entries" in body["errors"][0]["reason"]


def test_other_files_are_accepted_and_ignored(roster):
    files = generate.District().files()
    files["classes.csv"] = "sourcedId,whatever\r\nc1,\"not, read\"\r\n"
    files["enrollments.csv"] = "garbage \" that is not CSV"
    body = import_ok(sis(roster, new_district()), generate.zip_bytes(files))
    assert body["counts"]["educators"]["created"] == 60
