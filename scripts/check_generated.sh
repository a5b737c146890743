#!/usr/bin/env bash
# Fail when generated/images_api differs from what openapi.yaml and the templates produce now.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scripts/generate.sh "$tmp/images_api"
if ! diff -r --exclude=__pycache__ generated/images_api "$tmp/images_api" >"$tmp/diff.txt"; then
    head -40 "$tmp/diff.txt" >&2
    echo "generated/images_api is stale or hand-edited: run 'make generate' and commit the result." >&2
    exit 1
fi
echo "generated/images_api is up to date."
