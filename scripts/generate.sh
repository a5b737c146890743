#!/usr/bin/env bash
# Regenerate everything that is a fact of openapi.yaml: the low-level client (generated/images_api) and
# the wrapper's generated modules (wrapper/_spec.py, wrapper/_resources.py, wrapper/_async_resources.py).
#   scripts/generate.sh [ROOT]   # ROOT (default: this project) holds openapi.yaml and receives the output
# The pinned openapi-python-client (pyproject.toml, dev extra) reads scripts/generator-config.yaml and the
# custom templates under scripts/templates/, which fix the wire format (image[] parts, true/false
# booleans, a random multipart boundary), add per-call request options and a public request builder.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$(pwd)"
root="$(cd "${1:-.}" && pwd)"
bin="$here/.venv/bin"
export PATH="$bin:$PATH"
out="$root/generated/images_api"
rm -rf "$out"
mkdir -p "$(dirname "$out")" "$root/wrapper"
openapi-python-client generate \
    --path "$root/openapi.yaml" \
    --meta none \
    --config scripts/generator-config.yaml \
    --custom-template-path scripts/templates \
    --output-path "$out" \
    --fail-on-warning >/dev/null
# The generated package is typed: ship the PEP 561 marker with it.
touch "$out/py.typed"
"$bin/python" scripts/generate_wrapper.py --spec "$root/openapi.yaml" --root "$root"
