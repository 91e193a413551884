#!/usr/bin/env bash
# The contract as partners use it (issue 16):
#   1. installs the pinned tools (clients/package-lock.json, clients/requirements.txt) into
#      gitignored places (clients/node_modules, .ci/.venv-contract), once;
#   2. checks that openapi/openapi.json and openapi/partner.json are what the code renders;
#   3. lints both with openapi-spec-validator and redocly (clients/redocly.yaml);
#   4. regenerates clients/python (openapi-python-client) and clients/typescript
#      (openapi-typescript) from openapi/partner.json and fails on any difference from the
#      committed files; `tsc --noEmit` over the types, the verifier and the e2e script;
#   5. starts `onyx serve --demo` on a temporary SQLite database and runs the end-to-end
#      script of each language against it (token, packages, a sandbox order to an active
#      service, activation materials, a received webhook verified by the hand-written
#      verifier).
# Needs node/npm and python3. Env: ONYX_BIN (default target/debug/onyx, built if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ONYX_BIN=${ONYX_BIN:-target/debug/onyx}
VENV=.ci/.venv-contract
READY_TIMEOUT=${READY_TIMEOUT_SECONDS:-60}
say() { echo "--- [contract] $*"; }

say "tools"
if [[ ! -x "$VENV/bin/openapi-python-client" ]] || ! cmp -s clients/requirements.txt "$VENV/.requirements"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r clients/requirements.txt
    cp clients/requirements.txt "$VENV/.requirements"
fi
if [[ ! -x clients/node_modules/.bin/openapi-typescript ]] || ! cmp -s clients/package-lock.json clients/node_modules/.contract-lock; then
    (cd clients && npm ci --no-audit --no-fund --loglevel=error)
    cp clients/package-lock.json clients/node_modules/.contract-lock
fi
if [[ ! -x "$ONYX_BIN" ]]; then
    cargo build -q
fi

say "committed documents match the code"
"$ONYX_BIN" openapi | cmp -s - openapi/openapi.json \
    || { echo "openapi/openapi.json is stale: cargo run -q -- openapi > openapi/openapi.json" >&2; exit 1; }
"$ONYX_BIN" openapi --partner | cmp -s - openapi/partner.json \
    || { echo "openapi/partner.json is stale: cargo run -q -- openapi --partner > openapi/partner.json" >&2; exit 1; }

say "lint"
"$VENV/bin/openapi-spec-validator" openapi/openapi.json openapi/partner.json
(cd clients && node_modules/.bin/redocly lint --config redocly.yaml --format=summary \
    ../openapi/openapi.json ../openapi/partner.json 2>&1 | grep -v -i "node.js\|║\|╔\|╚" )

say "regenerate the clients and compare"
bash clients/generate.sh
if ! git diff --quiet --exit-code -- clients/python clients/typescript \
    || [[ -n "$(git ls-files --others --exclude-standard -- clients/python clients/typescript)" ]]; then
    git status --short -- clients/python clients/typescript >&2
    echo "the generated clients differ from the committed ones: run 'bash clients/generate.sh' and commit" >&2
    exit 1
fi
(cd clients && node_modules/.bin/tsc -p typescript/tsconfig.json --noEmit)

say "end-to-end against onyx serve --demo"
WORK_DIR=$(mktemp -d)
SERVICE_PID=""
cleanup() {
    if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT
DATABASE_URL="sqlite://$WORK_DIR/onyx.db" \
ONYX_LISTEN=127.0.0.1:0 \
ONYX_LOG_FORMAT=json \
ONYX_SANDBOX_STEP_MS=50 \
    "$ONYX_BIN" serve --demo </dev/null >"$WORK_DIR/out" 2>"$WORK_DIR/log" &
SERVICE_PID=$!
BASE_URL=""
deadline=$((SECONDS + READY_TIMEOUT))
until [[ -n "$BASE_URL" ]] && grep -q 'Sandbox secret:' "$WORK_DIR/out"; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null || ((SECONDS >= deadline)); then
        echo "the service did not start:" >&2
        cat "$WORK_DIR/out" >&2
        tail -n 40 "$WORK_DIR/log" >&2
        exit 1
    fi
    BASE_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$WORK_DIR/out" | head -n 1 || true)
    sleep 0.2
done
export ONYX_BASE_URL="$BASE_URL"
ONYX_CLIENT_ID=$(awk '/Sandbox client_id:/ {print $3; exit}' "$WORK_DIR/out")
ONYX_CLIENT_SECRET=$(awk '/Sandbox secret:/ {print $3; exit}' "$WORK_DIR/out")
export ONYX_CLIENT_ID ONYX_CLIENT_SECRET
"$VENV/bin/python" clients/python/e2e.py
(cd clients && node_modules/.bin/tsx typescript/src/e2e.ts)
say "ok"
