#!/usr/bin/env bash
# make deploy-check: the checks of docker/, compose.yaml and deploy/k8s/ that need no image build
# (tests/deploy/test_images.py, test_k8s.py). Needs the release binaries (make bins) and make deps's tools.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
exec .cache/venv/bin/python -m pytest -q -p no:cacheprovider tests/deploy "$@"
