"""Fixtures of the deploy tests."""
import shutil

import pytest

from support import ROOT


def find_tool(name):
    """A tool from the venv or .cache/gobin (deploy/local/deps.sh installs them), else PATH."""
    for d in (ROOT / ".cache/venv/bin", ROOT / ".cache/gobin"):
        if (d / name).exists():
            return str(d / name)
    found = shutil.which(name)
    assert found, f"{name} is not installed (make deps)"
    return found


@pytest.fixture
def tool():
    return find_tool
