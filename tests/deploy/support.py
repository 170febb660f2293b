"""Shared by the deploy tests: the repository root, the service list, a small Dockerfile reader, tools."""
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)


def services():
    """docker/services.list: name, port, consumed topics, dead-letter topic, secrets, extra runtime packages."""
    out = []
    for line in (ROOT / "docker/services.list").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, port, consumes, dlq, secrets, *pkgs = line.split()
        out.append({"name": name, "port": int(port),
                    "consumes": [] if consumes == "-" else consumes.split(","),
                    "dlq": None if dlq == "-" else dlq,
                    "secrets": [] if secrets == "-" else secrets.split(","), "packages": pkgs})
    return out


def dockerfile_stages(path):
    """Stages of a Dockerfile: {"from", "instructions": {INSTRUCTION: [arguments, ...]}}, continuation lines
    joined, comments dropped."""
    lines, cur = [], ""
    for raw in (ROOT / path).read_text().splitlines():
        s = raw.strip()
        if s.startswith("#") or not s:
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        lines.append(cur + s)
        cur = ""
    stages = []
    for line in lines:
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            stages.append({"from": rest.split()[0], "instructions": {}})
        elif stages:
            stages[-1]["instructions"].setdefault(word, []).append(rest)
    return stages


def secret_settings(name):
    """The secret rows of a service's configuration table (HG_CONFIG_STR with secret = 1) under services/<name>/:
    what the deployment must pass it as a secret."""
    code = "".join(p.read_text() for p in (ROOT / "services" / name).glob("*.c"))
    return set(re.findall(r'HG_CONFIG_STR\(\s*"(HG_[A-Z0-9_]+)",\s*[^,]+,\s*\d+,\s*1\s*,', code))
