#!/usr/bin/env bash
# Decode memory benchmark (issue 8): the peak RSS of `atrium serve` while it
# decodes the worst upload per byte sent, a 10000×10000 16-bit PNG of under
# 1 MB (100 megapixels, the default limit, 800 MB once decoded). Each case
# runs in a fresh server, and the peak is VmHWM from /proc/PID/status.
#
#   (a) one upload;
#   (b) PARALLEL (4) uploads sent at once.
#
# Usage: bench/decode.sh   (SQLite in a temp folder; the database plays no part)
# Settings: ATRIUM_DECODE_MEMORY_MB (1024), PARALLEL (4), SIZE (10000).
# Needs: go, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

export ATRIUM_DECODE_MEMORY_MB=${ATRIUM_DECODE_MEMORY_MB:-1024}
PARALLEL=${PARALLEL:-4}
SIZE=${SIZE:-10000}
for tool in go curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/atrium-decode.XXXXXX)
ATRIUM_PID=
cleanup() {
  [ -n "$ATRIUM_PID" ] && kill "$ATRIUM_PID" 2>/dev/null && wait "$ATRIUM_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT

echo "== build"
go build -o "$TMP/atrium" ./cmd/atrium
go build -o "$TMP/genimage" ./bench/genimage
"$TMP/genimage" -png16 -w "$SIZE" -h "$SIZE" -o "$TMP/worst.png"
echo "   worst.png: ${SIZE}×${SIZE}, 16 bits per channel, $(stat -c %s "$TMP/worst.png") bytes"

export ATRIUM_DATA=$TMP/data ATRIUM_ADDR=127.0.0.1:$PORT ATRIUM_BASE_URL=$BASE
export ATRIUM_SECRET=bench-secret-bench-secret-bench-secret ATRIUM_STORAGE_URL= ATRIUM_DATABASE_URL=
export ATRIUM_LOG_LEVEL=${ATRIUM_LOG_LEVEL:-warn}
echo "bench password 1234" | "$TMP/atrium" user create --email bench@studio.test --name Bench --role admin >/dev/null

start_atrium() {
  "$TMP/atrium" serve 2>>"$TMP/atrium.log" &
  ATRIUM_PID=$!
  for _ in $(seq 200); do curl -fs "$BASE/healthz" >/dev/null && return; sleep 0.05; done
  echo "atrium did not start:" >&2; cat "$TMP/atrium.log" >&2; exit 1
}
stop_atrium() { kill "$ATRIUM_PID"; wait "$ATRIUM_PID" 2>/dev/null || true; ATRIUM_PID=; }
mem() { awk -v k="$2:" '$1==k {print int($2/1024)}' "/proc/$1/status"; } # MB

start_atrium
J=(-fsS -b "$TMP/jar" -c "$TMP/jar" -H 'Content-Type: application/json')
curl "${J[@]}" -d '{"email":"bench@studio.test","password":"bench password 1234"}' "$BASE/api/session" >/dev/null
PROJECT=$(curl "${J[@]}" -d '{"name":"Decode","clientName":"Bench","targetDate":"2027-03-01"}' "$BASE/api/projects" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
stop_atrium

upload() { # n: prints the HTTP status
  curl -sS -o "$TMP/out.$1" -w '%{http_code}\n' -b "$TMP/jar" -F "file=@$TMP/worst.png;type=image/png" \
    -F "title=Worst $1" "$BASE/api/projects/$PROJECT/renderings"
}

# run n: a fresh server, n uploads at once; prints idle and peak RSS.
run() {
  start_atrium
  sleep 0.5
  local idle pids=() codes
  idle=$(mem "$ATRIUM_PID" VmRSS)
  for i in $(seq "$1"); do upload "$i" >"$TMP/code.$i" & pids+=($!); done
  wait "${pids[@]}"
  codes=$(cat "$TMP"/code.* | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  printf '%s %s %s %s\n' "$idle" "$(mem "$ATRIUM_PID" VmHWM)" "$1" "$codes"
  rm -f "$TMP"/code.* "$TMP"/out.*
  stop_atrium
}

echo "== uploads (budget $ATRIUM_DECODE_MEMORY_MB MB)"
ONE=$(run 1)
MANY=$(run "$PARALLEL")
echo
echo "== results ($(nproc) cores; peak = VmHWM of the server process)"
for r in "$ONE" "$MANY"; do
  read -r idle peak n codes <<<"$r"
  python3 - "$idle" "$peak" "$n" "$ATRIUM_DECODE_MEMORY_MB" "$codes" <<'EOF'
import sys
idle, peak, n, budget = map(int, sys.argv[1:5])
print(f"{n} upload(s): idle {idle} MB, peak {peak} MB, {peak / budget:.2f}× the {budget} MB budget,"
      f" peak - budget = {peak - budget:+d} MB (target <= +150); HTTP {sys.argv[5].strip()}")
EOF
done
