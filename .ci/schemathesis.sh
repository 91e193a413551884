#!/usr/bin/env bash
# Contract-tests the built service against its own OpenAPI document with Schemathesis.
#
# Usage: bash .ci/schemathesis.sh [extra `schemathesis run` arguments, e.g. --exclude-path /metrics]
#
# Environment:
#   ONYX_BIN                   service binary (default: target/debug/onyx)
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation (default: 25)
#   SCHEMATHESIS_SEED          random seed (default: 1)
#   SCHEMATHESIS_AUTH_HEADER   optional header sent with every request,
#                              e.g. "Authorization: Bearer <token>"
#   READY_TIMEOUT_SECONDS      how long to wait for /readyz (default: 60)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ONYX_BIN=${ONYX_BIN:-target/debug/onyx}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}
SEED=${SCHEMATHESIS_SEED:-1}
READY_TIMEOUT=${READY_TIMEOUT_SECONDS:-60}
VENV=.ci/.venv

if [[ ! -x "$ONYX_BIN" ]]; then
    echo "schemathesis.sh: service binary '$ONYX_BIN' not found; run 'cargo build' first or set ONYX_BIN" >&2
    exit 2
fi

# --- Python environment ----------------------------------------------------------------
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r .ci/requirements.txt
echo "schemathesis.sh: $("$VENV/bin/schemathesis" --version)"

# --- Service -----------------------------------------------------------------------------
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/onyx-schemathesis.XXXXXX")
SERVICE_LOG="$WORK_DIR/service.log"
SERVICE_OUT="$WORK_DIR/service.out"
SERVICE_PID=""
STATUS=1

cleanup() {
    if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVICE_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    if [[ "$STATUS" -ne 0 ]]; then
        echo "schemathesis.sh: FAILED; last lines of the service log ($SERVICE_LOG):" >&2
        tail -n 60 "$SERVICE_LOG" >&2 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Port 0 lets the service pick a free port itself (no race); it prints the address it bound.
DATABASE_URL="sqlite://$WORK_DIR/onyx.db" \
ONYX_LISTEN=127.0.0.1:0 \
ONYX_LOG_FORMAT=json \
ONYX_WEBHOOK_DELIVERY=off \
ONYX_RATE_LIMIT_PER_MINUTE=1000000 \
    "$ONYX_BIN" serve --demo </dev/null >"$SERVICE_OUT" 2>"$SERVICE_LOG" &
SERVICE_PID=$!

BASE_URL=""
deadline=$((SECONDS + READY_TIMEOUT))
while :; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        echo "schemathesis.sh: the service exited before becoming ready" >&2
        exit 1
    fi
    if [[ -z "$BASE_URL" ]]; then
        BASE_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$SERVICE_OUT" | head -n 1 || true)
    fi
    if [[ -n "$BASE_URL" ]] && "$VENV/bin/python" - "$BASE_URL/readyz" <<'PY' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
        break
    fi
    if ((SECONDS >= deadline)); then
        echo "schemathesis.sh: the service was not ready within ${READY_TIMEOUT}s" >&2
        exit 1
    fi
    sleep 0.2
done
echo "schemathesis.sh: service ready at $BASE_URL (pid $SERVICE_PID)"

# --- Schemathesis ------------------------------------------------------------------------
# A throwaway config: keeps Schemathesis' crash cache out of the checkout, and loads the
# extensions in .ci/schemathesis_hooks.py: the `cursor` format, and the check that gives
# back what the 422 below lets through. positive_data_acceptance accepts, besides its
# defaults (2xx, 3xx, 401, 403, 404, 409, 429, 5xx), a 422 - whose business-rule codes depend
# on the data like a 404 or 409 - and the hook's schema_valid_data_passes_validation fails
# any 422 `validation_failed` to a request valid by the document.
HOOKS="$PWD/.ci/schemathesis_hooks.py"
cat >"$WORK_DIR/schemathesis.toml" <<TOML
hooks = "$HOOKS"

[cache]
enabled = false

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
TOML

args=(
    --config-file "$WORK_DIR/schemathesis.toml"
    run "$BASE_URL/v1/openapi.json"
    --url "$BASE_URL"
    --checks all
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --generation-database none
    --request-timeout 10
    --no-color
)
# Schemathesis leaves out the operation that serves the schema unless a filter names it;
# select every path so /v1/openapi.json is tested too (unless the caller passes own --include-*).
if [[ " $* " != *" --include-"* ]]; then
    args+=(--include-path-regex '^/')
fi
# Two authenticated passes, so the fuzzer gets past the bearer checks: partner routes as the
# demo owner (signed in with the credentials the demo seed printed), operator routes with the
# operator token. SCHEMATHESIS_AUTH_HEADER, when set, replaces both with one header.
OWNER_LINE=$(grep -m1 'Owner sign-in:' "$SERVICE_OUT" || true)
OWNER_EMAIL=$(awk '{print $3}' <<<"$OWNER_LINE")
OWNER_PASSWORD=$(awk '{print $5}' <<<"$OWNER_LINE")
OPERATOR_TOKEN=$(grep -m1 'Operator token' "$SERVICE_OUT" | awk '{print $NF}' || true)
OWNER_TOKEN=""
if [[ -n "$OWNER_EMAIL" && -n "$OWNER_PASSWORD" ]]; then
    OWNER_TOKEN=$("$VENV/bin/python" - "$BASE_URL/v1/auth/login" "$OWNER_EMAIL" "$OWNER_PASSWORD" <<'PY'
import json, sys, urllib.request
body = json.dumps({"email": sys.argv[2], "password": sys.argv[3]}).encode()
req = urllib.request.Request(sys.argv[1], data=body, headers={"content-type": "application/json"})
with urllib.request.urlopen(req, timeout=5) as r:
    print(json.load(r)["access_token"])
PY
)
fi

run_pass() {
    local label=$1 header=$2
    shift 2
    echo "schemathesis.sh: pass '$label'"
    local pass_args=("${args[@]}")
    [[ -n "$header" ]] && pass_args+=(--header "$header")
    "$VENV/bin/schemathesis" "${pass_args[@]}" "$@"
}

set +e
if [[ -n "${SCHEMATHESIS_AUTH_HEADER:-}" ]]; then
    run_pass "custom header" "$SCHEMATHESIS_AUTH_HEADER" "$@"
    STATUS=$?
elif [[ -n "$OWNER_TOKEN" && -n "$OPERATOR_TOKEN" ]]; then
    # Changing or removing members comes after the other partner routes: the fuzzer may demote
    # or remove the member this run signs in as (once it invited another owner), after which
    # every call answers 401/403. The operator pass comes last, as it may suspend the partner.
    run_pass "partner routes as the demo owner" "Authorization: Bearer $OWNER_TOKEN" \
        --exclude-path-regex '^/v1/admin' \
        --exclude-name 'PATCH /v1/members/{member_id}' --exclude-name 'DELETE /v1/members/{member_id}' "$@"
    STATUS=$?
    run_pass "member changes as the demo owner" "Authorization: Bearer $OWNER_TOKEN" \
        --include-path-regex '^/v1/(members|invitations)' "$@"
    STATUS=$((STATUS | $?))
    run_pass "operator routes" "Authorization: Bearer $OPERATOR_TOKEN" --include-path-regex '^/v1/admin' "$@"
    STATUS=$((STATUS | $?))
else
    echo "schemathesis.sh: no demo credentials found in the service output; running unauthenticated" >&2
    run_pass "unauthenticated" "" "$@"
    STATUS=$?
fi
set -e
exit "$STATUS"
