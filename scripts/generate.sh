#!/usr/bin/env bash
# Regenerate the low-level client from openapi.yaml into the folder given (default generated/images_api).
# The pinned openapi-python-client (pyproject.toml, dev extra) reads scripts/generator-config.yaml and the
# custom templates under scripts/templates/, which fix the wire format (image[] parts, true/false
# booleans, a random multipart boundary) and add per-call request options.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-generated/images_api}"
bin="$(pwd)/.venv/bin"
export PATH="$bin:$PATH"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
openapi-python-client generate \
    --path openapi.yaml \
    --meta none \
    --config scripts/generator-config.yaml \
    --custom-template-path scripts/templates \
    --output-path "$out" \
    --fail-on-warning >/dev/null
# The generated package is typed: ship the PEP 561 marker with it.
touch "$out/py.typed"
