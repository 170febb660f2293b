"""The route table of each service binary equals the operations of its OpenAPI file.

For every `api-spec/<svc>.yaml` (other than common.yaml) whose binary `hg-<svc>` is built, run
`hg-<svc> --routes` (one `METHOD PATH ROLES` line per operation; ROLES comma-separated, `-` for none) and
compare the set of (method, path, roles) with the spec's (method, path, x-roles).

HG_BIN_DIR overrides the binary directory (default build/asan/bin).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "api-spec"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
KNOWN_ROLES = {"teacher", "coach", "school_leader", "district_admin", "sis_integration", "state_reporter",
               "teacher_leader"}

Route = tuple[str, str, tuple[str, ...]]  # (METHOD, path, sorted roles)


def bin_dir() -> Path:
    d = Path(os.environ.get("HG_BIN_DIR", "build/asan/bin"))
    return d if d.is_absolute() else ROOT / d


def service_specs() -> list[Path]:
    return sorted(p for p in SPEC_DIR.glob("*.yaml") if p.name != "common.yaml")


# ---------------------------------------------------------------------------------------------------------
# Spec side


class RefResolver:
    """Resolves `$ref`s between the YAML files of api-spec/ (JSON pointers, relative file paths)."""

    def __init__(self) -> None:
        self._docs: dict[Path, dict] = {}

    def load(self, path: Path) -> dict:
        path = path.resolve()
        if path not in self._docs:
            with path.open(encoding="utf-8") as f:
                self._docs[path] = yaml.safe_load(f)
        return self._docs[path]

    def deref(self, node, base: Path, depth: int = 0):
        """Follows `node`'s $ref chain; returns (target node, file it lives in)."""
        while isinstance(node, dict) and "$ref" in node:
            if depth > 20:
                raise ValueError(f"$ref chain too deep at {base}")
            depth += 1
            ref = node["$ref"]
            file_part, _, pointer = ref.partition("#")
            target_file = (base.parent / file_part).resolve() if file_part else base
            node = self.load(target_file)
            for token in filter(None, pointer.split("/")):
                token = token.replace("~1", "/").replace("~0", "~")
                node = node[int(token)] if isinstance(node, list) else node[token]
            base = target_file
        return node, base


def spec_routes(spec_path: Path) -> set[Route]:
    resolver = RefResolver()
    doc = resolver.load(spec_path)
    top_security = doc.get("security", [])
    routes: set[Route] = set()
    problems: list[str] = []
    for path, item in (doc.get("paths") or {}).items():
        item, _ = resolver.deref(item, spec_path.resolve())
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            where = f"{method.upper()} {path}"
            roles = op.get("x-roles", [])
            secured = bool(op.get("security", top_security))
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                problems.append(f"{where}: x-roles must be a list of strings, not {roles!r}")
                continue
            if unknown := set(roles) - KNOWN_ROLES:
                problems.append(f"{where}: unknown roles {sorted(unknown)}")
            if len(set(roles)) != len(roles):
                problems.append(f"{where}: repeated roles in {roles}")
            if secured and not roles:
                problems.append(f"{where}: needs a token but lists no x-roles")
            if not secured and roles:
                problems.append(f"{where}: lists x-roles but has `security: []`")
            routes.add((method.upper(), path, tuple(sorted(set(roles)))))
    assert not problems, f"{spec_path.name}: inconsistent operations:\n  " + "\n  ".join(problems)
    return routes


# ---------------------------------------------------------------------------------------------------------
# Binary side


def binary_routes(binary: Path) -> set[Route]:
    proc = subprocess.run(
        [str(binary), "--routes"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "ASAN_OPTIONS": "detect_leaks=1", "UBSAN_OPTIONS": "halt_on_error=1"},
    )
    assert proc.returncode == 0, (
        f"{binary} --routes exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    routes: set[Route] = set()
    bad: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isupper() or not parts[1].startswith("/"):
            bad.append(f"line {n}: {line!r}")
            continue
        method, path, roles = parts
        seen[(method, path)] = seen.get((method, path), 0) + 1
        role_list = [] if roles == "-" else roles.split(",")
        if any(not r for r in role_list):
            bad.append(f"line {n}: empty role in {line!r}")
        routes.add((method, path, tuple(sorted(set(role_list)))))
    bad += [f"{m} {p} printed {c} times" for (m, p), c in seen.items() if c > 1]
    assert not bad, f"{binary} --routes printed malformed lines:\n  " + "\n  ".join(bad)
    assert routes, f"{binary} --routes printed no route"
    return routes


def route_diff(from_binary: set[Route], from_spec: set[Route]) -> str:
    """Empty when equal, else a readable diff."""

    def fmt(r: Route) -> str:
        return f"{r[0]:7} {r[1]}  [{','.join(r[2]) or '-'}]"

    lines = [f"  binary only: {fmt(r)}" for r in sorted(from_binary - from_spec)]
    lines += [f"  spec only:   {fmt(r)}" for r in sorted(from_spec - from_binary)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("spec_path", service_specs(), ids=lambda p: p.stem)
def test_route_table_matches_spec(spec_path: Path) -> None:
    binary = bin_dir() / f"hg-{spec_path.stem}"
    if not binary.exists():
        pytest.skip(f"{binary} is not built")
    expected = spec_routes(spec_path)
    actual = binary_routes(binary)
    diff = route_diff(actual, expected)
    assert not diff, f"{binary.name} --routes differs from api-spec/{spec_path.name}:\n{diff}"


def test_there_is_a_service_spec() -> None:
    assert service_specs(), "no service specification under api-spec/"


def test_checker_reports_differences(tmp_path: Path) -> None:
    """The comparison itself must catch a missing route, an extra one and a role change."""
    # The first spec with two operations that name roles (analytics, first by name, has one so far).
    spec = next(s for s in service_specs() if sum(1 for r in spec_routes(s) if r[2]) >= 2)
    routes = sorted(spec_routes(spec))
    removed = routes[-1]
    changed = next((r for r in routes if r[2] and r != removed), None)
    assert changed, "expected at least two operations, one with roles"
    lines = [f"{m} {p} {','.join(r) or '-'}" for m, p, r in routes if (m, p, r) not in (changed, removed)]
    lines.append(f"{changed[0]} {changed[1]} state_reporter")
    lines.append("GET /v1/not-in-the-spec -")
    fake = tmp_path / "hg-fake"
    fake.write_text("#!/bin/sh\ncat <<'END'\n" + "\n".join(lines) + "\nEND\n")
    fake.chmod(0o755)
    diff = route_diff(binary_routes(fake), set(routes))
    assert "binary only: GET     /v1/not-in-the-spec" in diff
    assert f"spec only:   {removed[0]:7} {removed[1]}" in diff
    assert "[state_reporter]" in diff and f"[{','.join(changed[2])}]" in diff
    assert route_diff(set(routes), set(routes)) == ""
