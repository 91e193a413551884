#!/usr/bin/env bash
# Browser tests of the console: installs what it needs on a clean machine (Debian's chromium,
# Playwright for Python and pytest; no browser download), builds the service, starts
# `onyx serve --demo` on a temporary SQLite database and a free port, and runs
# tests/browser with pytest against it.
#
#   .ci/browser.sh                 run the tests
#   .ci/browser.sh --screenshots   also (re)write the README's screenshots under docs/
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCREENSHOTS=0
if [[ "${1:-}" == "--screenshots" ]]; then
    SCREENSHOTS=1
fi

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ ! -x "$CHROMIUM_PATH" ]]; then
    echo "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM_PATH

if ! python3 -c "import playwright, pytest" >/dev/null 2>&1; then
    echo "installing tests/browser/requirements.txt"
    python3 -m pip install -q -r tests/browser/requirements.txt \
        || python3 -m pip install -q --break-system-packages -r tests/browser/requirements.txt
fi

cargo build -q
BIN=target/debug/onyx

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DATABASE_URL="sqlite://$WORK/console.db" \
ONYX_LISTEN="127.0.0.1:$PORT" \
ONYX_SANDBOX_STEP_MS=50 \
ONYX_WORKER_INTERVAL_MS=100 \
ONYX_LOG=warn \
    "$BIN" serve --demo >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    if curl -fsS "$BASE/healthz" >/dev/null 2>&1 && grep -q "Owner sign-in" "$WORK/serve.log"; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/serve.log" >&2
        echo "the service did not start" >&2
        exit 1
    fi
    sleep 0.2
done
grep -q "Console: .*$BASE/console/" "$WORK/serve.log" || { echo "serve --demo did not print the console address" >&2; exit 1; }

SIGN_IN=$(grep "Owner sign-in:" "$WORK/serve.log" | sed 's/.*Owner sign-in: *//')
export ONYX_CONSOLE_BASE="$BASE"
export ONYX_OWNER_EMAIL="${SIGN_IN%% / *}"
export ONYX_OWNER_PASSWORD="${SIGN_IN##* / }"
if ((SCREENSHOTS)); then
    export ONYX_SCREENSHOTS_DIR="$PWD/docs"
fi

cd tests/browser
python3 -m pytest -q -p no:cacheprovider "${@:2}"
