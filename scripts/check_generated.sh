#!/usr/bin/env bash
# Fail when a generated file differs from what openapi.yaml and the templates produce now: the
# low-level client (a stray or missing file counts too) and the wrapper's generated modules.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp openapi.yaml "$tmp/"
scripts/generate.sh "$tmp"
stale=0
if ! diff -r --exclude=__pycache__ generated/images_api "$tmp/generated/images_api" >"$tmp/diff.txt"; then
    stale=1
fi
for file in _spec.py _resources.py _async_resources.py; do
    if ! diff "wrapper/$file" "$tmp/wrapper/$file" >>"$tmp/diff.txt"; then
        stale=1
    fi
done
if [ "$stale" = 1 ]; then
    head -40 "$tmp/diff.txt" >&2
    echo "generated files are stale or hand-edited: run 'make generate' and commit the result." >&2
    exit 1
fi
echo "generated/images_api and the wrapper's generated modules are up to date."
