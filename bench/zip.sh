#!/usr/bin/env bash
# Download all (issue 12): atrium's RSS while it streams the ZIP of a
# project's originals, here 2 GB by default, on SQLite with local storage.
#
# It seeds a project with COUNT approved renderings through the staff API
# (small JPEGs), then, with the server stopped, replaces each stored
# original by SIZE_MB of random bytes (ingest would not take a 256 MB
# picture), starts a fresh server, and downloads
# /api/client-progress/{token}/download.zip with curl while sampling the
# server's VmRSS every 50 ms. It prints the RSS before, the highest sample,
# their difference (the target: at most 20 MB for 2 GB), and checks the
# archive: every entry stored, of the right size (python3 zipfile).
#
# Usage: bench/zip.sh                       (8 x 256 MB = 2 GB)
#        COUNT=6 SIZE_MB=1000 bench/zip.sh  (6 GB: entries past the 4 GB
#                                            offset, so Zip64 records)
# Needs: go, curl, python3. Disk: twice the archive (originals and the
# downloaded ZIP, both in a temporary folder that is removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-8}
SIZE_MB=${SIZE_MB:-256}
for tool in go curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/atrium-zip.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
BASE=http://127.0.0.1:$(free_port)
export ATRIUM_SECRET=bench-secret-bench-secret-bench-secret ATRIUM_STORAGE_URL= ATRIUM_DATABASE_URL=
export ATRIUM_DATA=$TMP/data ATRIUM_ADDR=${BASE#http://} ATRIUM_BASE_URL=$BASE ATRIUM_LOG_LEVEL=warn

echo "== build"
go build -o "$TMP/atrium" ./cmd/atrium
go build -o "$TMP/genimage" ./bench/genimage
"$TMP/genimage" -w 800 -h 500 -q 85 -o "$TMP/small.jpg"

start() {
  "$TMP/atrium" serve 2>>"$TMP/atrium.log" &
  PID=$!
  for _ in $(seq 200); do curl -fs "$BASE/healthz" >/dev/null && return; sleep 0.05; done
  echo "atrium did not start:" >&2; cat "$TMP/atrium.log" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
rss() { awk -v k="$1:" '$1==k {print $2}' "/proc/$PID/status"; } # kB
jget() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

echo "== seed: $COUNT renderings"
echo "bench password 1234" | "$TMP/atrium" user create --email bench@studio.test --name Bench --role admin >/dev/null
start
JAR=$TMP/jar
J=(-fsS -b "$JAR" -c "$JAR" -H 'Content-Type: application/json')
curl "${J[@]}" -d '{"email":"bench@studio.test","password":"bench password 1234"}' "$BASE/api/session" >/dev/null
PROJECT=$(curl "${J[@]}" -d '{"name":"Hillside Residence","clientName":"Jane Doe"}' "$BASE/api/projects" | jget id)
ROOM=$(curl "${J[@]}" -d '{"name":"Kitchen"}' "$BASE/api/projects/$PROJECT/rooms" | jget id)
IDS=()
for i in $(seq "$COUNT"); do
  id=$(curl -fsS -b "$JAR" -F "file=@$TMP/small.jpg;type=image/jpeg" -F "title=View $i" -F "roomId=$ROOM" \
    "$BASE/api/projects/$PROJECT/renderings" | jget id)
  curl "${J[@]}" -X PATCH -d '{"status":"approved"}' "$BASE/api/renderings/$id" >/dev/null
  IDS+=("$id")
done
URL=$("$TMP/atrium" link create --project "$PROJECT" --label bench)
TOKEN=${URL##*/}
stop

echo "== originals: $COUNT x $SIZE_MB MB of random bytes"
for id in "${IDS[@]}"; do
  head -c "$((SIZE_MB * 1048576))" /dev/urandom >"$ATRIUM_DATA/files/renderings/$id/original.jpg"
done

start
sleep 1
BEFORE=$(rss VmRSS)
curl -fsS -o "$TMP/all.zip" "$BASE/api/client-progress/$TOKEN/download.zip" &
CURL=$!
PEAK=$BEFORE
while kill -0 "$CURL" 2>/dev/null; do
  now=$(rss VmRSS)
  [ "$now" -gt "$PEAK" ] && PEAK=$now
  sleep 0.05
done
wait "$CURL"
HWM=$(rss VmHWM)
SIZE=$(stat -c %s "$TMP/all.zip")
python3 - "$TMP/all.zip" "$COUNT" "$((SIZE_MB * 1048576))" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
infos = z.infolist()
assert len(infos) == int(sys.argv[2]), f"{len(infos)} entries"
for i in infos:
    assert i.compress_type == zipfile.ZIP_STORED, i.filename
    assert i.file_size == int(sys.argv[3]), (i.filename, i.file_size)
last = infos[-1]
print(f"   {len(infos)} stored entries, last at offset {last.header_offset} ({last.filename})")
EOF
echo "== results"
echo "   archive        $((SIZE / 1048576)) MB"
echo "   RSS before     $((BEFORE / 1024)) MB"
echo "   RSS peak       $((PEAK / 1024)) MB (VmHWM $((HWM / 1024)) MB)"
echo "   RSS growth     $(((PEAK - BEFORE) / 1024)) MB ($((PEAK - BEFORE)) kB)"
