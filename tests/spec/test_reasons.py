"""Every refusal code a service defines (`hg-<svc> --reasons`) is documented in docs/<svc>.md, and the codes are
stable snake_case, unique, with a 4xx status and a detail.

HG_BIN_DIR overrides the binary directory (default build/asan/bin).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bin_dir() -> Path:
    d = Path(os.environ.get("HG_BIN_DIR", "build/asan/bin"))
    return d if d.is_absolute() else ROOT / d


def services() -> list[str]:
    return sorted(p.stem for p in (ROOT / "api-spec").glob("*.yaml") if p.stem != "common")


@pytest.mark.parametrize("svc", services())
def test_reasons_are_stable_and_documented(svc: str) -> None:
    binary = bin_dir() / f"hg-{svc}"
    if not binary.exists():
        pytest.skip(f"{binary} is not built")
    out = subprocess.run([str(binary), "--reasons"], capture_output=True, text=True, timeout=30, check=True).stdout
    rows = [line.split(" ", 2) for line in out.splitlines() if line.strip()]
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes)), f"duplicate reason codes in hg-{svc}: {codes}"
    doc = (ROOT / "docs" / f"{svc}.md").read_text(encoding="utf-8")
    missing = []
    for code, status, detail in rows:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), f"{code!r} is not snake_case"
        assert 400 <= int(status) < 500, f"{code} answers {status}"
        assert detail.strip(), f"{code} has no detail"
        if f"`{code}`" not in doc:
            missing.append(code)
    assert not missing, f"docs/{svc}.md does not list these reason codes of hg-{svc}: {missing}"
