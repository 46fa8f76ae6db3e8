#!/usr/bin/env bash
# Slow clients against a real atrium on 127.0.0.1 (SQLite in a temp folder):
# a body at one byte every 5 s, 5,000 connections from one address, a
# download whose reader stalls, 50 live-update streams from one address.
# Every wait is bounded (LIMIT, default 120s).
#
# Usage: bench/slowclients.sh
#        ATRIUM_BIN=/path/to/atrium bench/slowclients.sh   (another build, e.g. an older commit)
# Needs: go, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=${LIMIT:-120s}
TMP=$(mktemp -d /tmp/atrium-slow.XXXXXX)
ATRIUM_PID=
cleanup() {
  [ -n "$ATRIUM_PID" ] && kill "$ATRIUM_PID" 2>/dev/null && wait "$ATRIUM_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
BIN=${ATRIUM_BIN:-$TMP/atrium}
[ -n "${ATRIUM_BIN:-}" ] || go build -o "$BIN" ./cmd/atrium
go build -o "$TMP/genimage" ./bench/genimage
go build -o "$TMP/slowclients" ./bench/slowclients

export ATRIUM_DATA=$TMP/data ATRIUM_ADDR=127.0.0.1:$PORT ATRIUM_BASE_URL=$BASE ATRIUM_LOG_LEVEL=warn
export ATRIUM_SECRET=bench-secret-bench-secret-bench-secret ATRIUM_DATABASE_URL= ATRIUM_STORAGE_URL=
echo "bench password 1234" | "$BIN" user create --email bench@studio.test --name Bench --role admin >/dev/null
"$BIN" serve 2>>"$TMP/atrium.log" &
ATRIUM_PID=$!
for _ in $(seq 200); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.05; done

J=(-fsS -b "$TMP/jar" -c "$TMP/jar" -H 'Content-Type: application/json')
jget() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
curl "${J[@]}" -d '{"email":"bench@studio.test","password":"bench password 1234"}' "$BASE/api/session" >/dev/null
PROJECT=$(curl "${J[@]}" -d '{"name":"Hillside Residence","clientName":"Jane Doe"}' "$BASE/api/projects" | jget id)
"$TMP/genimage" -w 3000 -h 2200 -o "$TMP/original.jpg" # about 12 MB: more than the socket buffers
ID=$(curl -fsS -b "$TMP/jar" -F "file=@$TMP/original.jpg;type=image/jpeg" -F "title=Kitchen" "$BASE/api/projects/$PROJECT/renderings" | jget id)
curl "${J[@]}" -X PATCH -d '{"status":"approved"}' "$BASE/api/renderings/$ID" >/dev/null
URL=$("$BIN" link create --project "$PROJECT" --label bench)
TOKEN=${URL##*/}

"$TMP/slowclients" -addr "127.0.0.1:$PORT" -limit "$LIMIT" \
  -download "/api/client-progress/$TOKEN/download/$ID" -events "/api/client-progress/$TOKEN/events"
