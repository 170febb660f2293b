"""docker/ and compose.yaml, checked without building: the generated files are current, hadolint passes,
each runtime stage installs every library its binary needs (and nothing it does not), the invariants of the
issue (non-root, healthcheck, slim base) hold, the gateway's rendered nginx configuration is valid, and
compose.yaml matches the Compose Specification's schema. The image build itself is `make images`."""
import functools
import json
import os
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from support import ROOT, services, dockerfile_stages, run

RUNTIME_BASE = "debian:bookworm-slim"
# Runtime packages no library comes from, and why a service needs them.
NOT_LIBRARIES = {"ca-certificates": "TLS verification of outgoing HTTPS (the roster's SIS syncs)"}


def test_generated_files_are_current():
    r = run(["bash", "docker/generate.sh", "--check"])
    assert r.returncode == 0, r.stdout + r.stderr


def dockerfiles():
    return [f"docker/{s['name']}/Dockerfile" for s in services()] + ["docker/gateway/Dockerfile"]


@pytest.mark.parametrize("path", dockerfiles())
def test_hadolint(path, tool):
    r = run([tool("hadolint"), "--config", ".hadolint.yaml", path])
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", dockerfiles())
def test_runtime_stage_shape(path):
    stages = dockerfile_stages(path)
    if "gateway" not in path:
        assert len(stages) == 2, "a build stage and a runtime stage"
    runtime = stages[-1]
    assert runtime["from"] == RUNTIME_BASE
    user = runtime["instructions"].get("USER", [""])[-1]
    assert re.fullmatch(r"[1-9][0-9]{3,}:[1-9][0-9]{3,}", user), f"non-root numeric USER, got {user!r}"
    assert "HEALTHCHECK" in runtime["instructions"], "a HEALTHCHECK"
    assert "/healthz" in runtime["instructions"]["HEALTHCHECK"][-1]
    assert "ENTRYPOINT" in runtime["instructions"]


def installed_packages(stage):
    """Packages named in the stage's `apt-get install` lines."""
    pkgs = []
    for run_line in stage["instructions"].get("RUN", []):
        for m in re.finditer(r"apt-get install ([^&;]*)", run_line):
            pkgs += [w for w in m.group(1).split() if not w.startswith("-")]
    return pkgs


@functools.lru_cache(maxsize=None)
def dpkg_status():
    """Every installed package: name -> (essential, priority, [dependencies]), read once."""
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\n"],
                       capture_output=True, text=True, check=True)
    status = {}
    for line in r.stdout.splitlines():
        name, essential, priority, deps = line.split("\t")
        # "a (>= 1) | b": the first alternative is what apt picks.
        names = [d.split("|")[0].split()[0].split(":")[0] for d in deps.split(",") if d.strip()]
        status[name] = (essential, priority, names)
    return status


def base_packages():
    """What debootstrap's minbase (the slim image) holds: Essential and Priority required packages."""
    return {p for p, (essential, priority, _) in dpkg_status().items() if essential == "yes" or priority == "required"}


def closure(pkgs):
    """The packages apt installs for `pkgs`: their Depends and Pre-Depends, recursively (read from dpkg on this
    Debian 12 machine, where the -dev packages of the build have installed every runtime library)."""
    status = dpkg_status()
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo += status.get(p, ("", "", []))[2]
    return seen


def owners(paths):
    """The Debian package of each library file, in one dpkg-query (merged /usr: both spellings asked)."""
    spellings = {}
    for path in paths:
        real = os.path.realpath(path)
        for c in {path, real}:
            for v in (c, c[len("/usr"):] if c.startswith("/usr/lib/") else "/usr" + c):
                spellings[v] = path
    r = subprocess.run(["dpkg-query", "-S", *spellings], capture_output=True, text=True)
    found = {}
    for line in r.stdout.splitlines():
        pkg, _, file = line.partition(": ")
        if file in spellings:
            found[spellings[file]] = pkg.split(":")[0]
    return found


def ldd_packages(binary):
    """Each library ldd lists for `binary` -> the package it comes from (None when dpkg knows no owner)."""
    r = run(["ldd", binary])
    assert r.returncode == 0, r.stderr
    libs = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m:
            assert m.group(2) != "not", f"{binary}: {line.strip()}"
            libs[m.group(1)] = m.group(2)
    pkgs = owners(libs.values())
    return {lib: pkgs.get(path) for lib, path in libs.items()}


@pytest.mark.parametrize("svc", services(), ids=lambda s: s["name"])
def test_runtime_stage_installs_every_library(svc):
    binary = ROOT / "build/release/bin" / f"hg-{svc['name']}"
    assert binary.exists(), f"{binary} is built by `make bins` before this test"
    stage = dockerfile_stages(f"docker/{svc['name']}/Dockerfile")[-1]
    named = installed_packages(stage)
    assert named, "the runtime stage installs the libraries"
    present = closure(named) | base_packages()
    libs = ldd_packages(str(binary))
    missing = {lib: pkg for lib, pkg in libs.items() if pkg is None or pkg not in present}
    assert not missing, f"libraries the runtime stage does not install: {missing}"
    # Nothing more than needed: every named package owns a library the binary loads directly or indirectly.
    needed = set(libs.values())
    extra = [p for p in named if p not in needed and p not in NOT_LIBRARIES]
    assert not extra, f"packages no library of hg-{svc['name']} comes from: {extra}"


def test_runtime_check_catches_a_missing_library():
    """The check above can fail: the roster without libzip4 misses libzip.so.4."""
    libs = ldd_packages(str(ROOT / "build/release/bin/hg-roster"))
    stage = dockerfile_stages("docker/roster/Dockerfile")[-1]
    named = [p for p in installed_packages(stage) if p != "libzip4"]
    present = closure(named) | base_packages()
    assert libs["libzip.so.4"] not in present


def test_gateway_config_renders_and_is_valid(tmp_path):
    """docker/gateway/start.sh renders deploy/gateway/ (the make-up gateway) for a container; nginx accepts it."""
    r = run(["bash", "docker/gateway/start.sh", "--render", str(tmp_path), "deploy/gateway", "docker/services.list"])
    assert r.returncode == 0, r.stderr
    conf = (tmp_path / "nginx.conf").read_text()
    assert "daemon off;" in conf and re.search(r"^\s*listen 8080;", conf, re.M)
    assert "access_log /dev/stdout" in conf and "error_log /dev/stderr" in conf
    for s in services():
        upstream = re.search(rf"^\s*upstream hg_{s['name']}\s.*$", conf, re.M)
        if upstream:
            assert f"server {s['name']}:{s['port']};" in upstream.group(0)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    # The service names resolve inside compose and Kubernetes; here they are this machine.
    (tmp_path / "nginx.conf").write_text(re.sub(r"server ([a-z]+):(\d+);", r"server 127.0.0.1:\2;", conf))
    r = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "/dev/stderr"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_gateway_refuses_a_route_to_an_unlisted_service(tmp_path):
    """A service the gateway template routes to but docker/services.list lacks stops the container's start."""
    short = tmp_path / "services.list"
    short.write_text("\n".join(l for l in (ROOT / "docker/services.list").read_text().splitlines()
                               if not l.startswith("resources")) + "\n")
    r = run(["bash", "docker/gateway/start.sh", "--render", str(tmp_path / "out"), "deploy/gateway", str(short)])
    assert r.returncode != 0


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_matches_the_compose_schema():
    schema = json.loads((ROOT / "docker/schemas/compose-spec.json").read_text())
    schema.pop("$schema", None)
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(compose())]
    assert not errors


def test_compose_schema_rejects_a_mistake():
    schema = json.loads((ROOT / "docker/schemas/compose-spec.json").read_text())
    schema.pop("$schema", None)
    bad = compose()
    bad["services"]["gateway"]["read_onyl"] = True
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def test_compose_topology():
    c = compose()["services"]
    names = [s["name"] for s in services()]
    assert set(c) == {"postgres", "kafka", "gateway", *names}
    for s in services():
        svc = c[s["name"]]
        assert svc["build"]["dockerfile"] == f"docker/{s['name']}/Dockerfile"
        assert svc["read_only"] is True and svc["cap_drop"] == ["ALL"]
        assert svc["environment"]["HG_HTTP_PORT"] == str(s["port"])
        assert svc["environment"]["HG_KAFKA_BROKERS"] == "kafka:9092"
        assert set(svc["depends_on"]) == {"postgres", "kafka"}
        # Its secrets (docker/services.list) are required from the environment, never defaulted.
        for var in s["secrets"]:
            assert svc["environment"][var].startswith(f"${{{var}:?"), var
    assert set(c["gateway"]["depends_on"]) == set(names)
    assert c["gateway"]["read_only"] is True
