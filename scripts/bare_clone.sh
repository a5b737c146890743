#!/usr/bin/env bash
# The test suite from a fresh clone of HEAD whose parent folder has no `shared/` (nothing outside the
# repository may be needed), with this checkout's venv and the clone's own code on PYTHONPATH (the
# editable install points at this checkout). `scripts/bare_clone.sh --collect-only` only collects.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git -C "$root" clone -q "$root" "$tmp/repo"
test ! -e "$tmp/shared"
ln -s "$root/.venv" "$tmp/repo/.venv"  # the tools the generator tests run (scripts/generate.sh uses .venv/bin)
cd "$tmp/repo"
PYTHONPATH="$tmp/repo:$tmp/repo/generated" timeout 1500 "$root/.venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
