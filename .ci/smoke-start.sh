#!/usr/bin/env bash
# Smoke test of `npm start` as a site owner runs it: no DATABASE_URL (embedded PostgreSQL in a
# fresh data folder), /ready answers 200, / serves the demo page, /widget.js the bundle, /console
# the console page with /console.js, and
# Ctrl-C (SIGINT to the process group) exits cleanly leaving no PostgreSQL behind.
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
data=$(mktemp -d)
log=$(mktemp)
echo "smoke: npm start on port $port, data in $data"
env -u DATABASE_URL -u REDIS_URL PORT=$port DATA_DIR=$data EMBEDDED_PG_PORT=$((port + 1)) setsid npm start >"$log" 2>&1 &
pid=$!

# The embedded PostgreSQL runs in its own process group (the API stops it after draining), so
# a failed run stops it by the pid in its lock file.
cleanup() {
  kill -KILL -- -"$pid" 2>/dev/null || true
  pg=$(head -1 "$data/pg/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pg" ]; then kill -KILL -- -"$pg" 2>/dev/null || true; fi
  rm -rf "$data" "$log"
}
trap cleanup EXIT

ok=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then ok=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$ok" ]; then echo "smoke: /ready never answered 200"; cat "$log"; exit 1; fi
# Fetched to a file first: `curl | grep -q` fails under pipefail when grep stops reading early.
body=$(mktemp)
expect() { # path, text, what is wrong otherwise
  curl -fsS "http://127.0.0.1:$port$1" -o "$body" && grep -q -- "$2" "$body" || { echo "smoke: $3"; exit 1; }
}
expect / '<booking-widget' '/ does not embed the widget'
expect /widget.js 'booking-widget' '/widget.js missing'
expect /api/specialists 'dr-weber' 'demo data missing'
expect /console '<booking-console' '/console does not serve the console page'
expect /console.js 'booking-console' '/console.js missing'
rm -f "$body"
echo "smoke: ready, demo page, widget and console served"

kill -INT -- -"$pid"
for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then echo "smoke: still running 30 s after Ctrl-C"; cat "$log"; exit 1; fi
wait "$pid" && code=0 || code=$?
if [ "$code" -ne 0 ] && [ "$code" -ne 130 ]; then echo "smoke: exit code $code after Ctrl-C"; cat "$log"; exit 1; fi
if pgrep -f "postgres -D $data" >/dev/null; then echo "smoke: embedded PostgreSQL left running"; exit 1; fi
echo "smoke: clean shutdown (exit $code), no orphan process"
