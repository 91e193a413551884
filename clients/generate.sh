#!/usr/bin/env bash
# Regenerates both clients from openapi/partner.json with the pinned tools (install them with
# `npm ci` in clients/ and `pip install -r clients/requirements.txt`, or run .ci/contract.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PY_GEN=${PY_GEN:-../.ci/.venv-contract/bin/openapi-python-client}
"$PY_GEN" generate --path ../openapi/partner.json --config python/config.yaml \
    --output-path python/onyx-partner-api-client --overwrite >/dev/null
node_modules/.bin/openapi-typescript ../openapi/partner.json -o typescript/src/schema.d.ts >/dev/null 2>&1
