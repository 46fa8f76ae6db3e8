#!/usr/bin/env bash
# Client side benchmark (issue 3): atrium against nginx on 127.0.0.1, in the
# same run, on the same bytes.
#
#   (a) the client JSON (GET /api/client-progress/{token}), every request
#       logged with group commit, against nginx serving the same bytes as a
#       static file;
#   (b) the download of a 50 MB original, against nginx serving that file;
#   (c) atrium's RSS idle and during 16 concurrent 50 MB downloads.
#
# Usage: bench/client.sh            (SQLite in a temp folder)
#        DB=postgres bench/client.sh (PostgreSQL at ATRIUM_TEST_POSTGRES or
#                                     postgres://postgres@127.0.0.1:5432/test)
# Settings: DURATION (10s), JSON_CONN (32), DL_CONN (16), THREADS (2),
#           ONLY=json or ONLY=download to run half of it.
# Needs: go, wrk, nginx, curl (apt-get install -y wrk nginx-light curl).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
JSON_CONN=${JSON_CONN:-32}
DL_CONN=${DL_CONN:-16}
THREADS=${THREADS:-2}
DB=${DB:-sqlite}
ONLY=${ONLY:-}
for tool in go wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk nginx-light curl)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/atrium-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers may run as another user
ATRIUM_PID= NGINX_PID= GOSTATIC_PID= SCHEMA=
PG=${ATRIUM_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
cleanup() {
  [ -n "$ATRIUM_PID" ] && kill "$ATRIUM_PID" 2>/dev/null && wait "$ATRIUM_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$GOSTATIC_PID" ] && kill "$GOSTATIC_PID" 2>/dev/null || true
  [ -n "$SCHEMA" ] && psql "$PG" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
NPORT=$(free_port)
GPORT=$(free_port)
BASE=http://127.0.0.1:$PORT

echo "== build"
go build -o "$TMP/atrium" ./cmd/atrium
go build -o "$TMP/genimage" ./bench/genimage
go build -o "$TMP/gostatic" ./bench/gostatic

export ATRIUM_DATA=$TMP/data ATRIUM_ADDR=127.0.0.1:$PORT ATRIUM_BASE_URL=$BASE
export ATRIUM_SECRET=bench-secret-bench-secret-bench-secret ATRIUM_STORAGE_URL=
# Request logging at info writes a line per request; nginx below has
# access_log off, so atrium's per-request line is off too. The access log
# rows in the database are written either way.
export ATRIUM_LOG_LEVEL=${ATRIUM_LOG_LEVEL:-warn}
export ATRIUM_DATABASE_URL=
if [ "$DB" = postgres ]; then
  SCHEMA=bench_$(date +%s)_$$
  psql "$PG" -qc "CREATE SCHEMA $SCHEMA"
  sep='?'; case $PG in *\?*) sep='&';; esac
  export ATRIUM_DATABASE_URL="$PG${sep}search_path=$SCHEMA"
fi

start_atrium() {
  "$TMP/atrium" serve 2>>"$TMP/atrium.log" &
  ATRIUM_PID=$!
  for _ in $(seq 200); do curl -fs "$BASE/healthz" >/dev/null && return; sleep 0.05; done
  echo "atrium did not start:" >&2; cat "$TMP/atrium.log" >&2; exit 1
}
stop_atrium() { kill "$ATRIUM_PID"; wait "$ATRIUM_PID" 2>/dev/null || true; ATRIUM_PID=; }
rss() { awk -v k="$2:" '$1==k {print int($2/1024)}' "/proc/$1/status"; } # MB

echo "== seed (database: $DB)"
echo "bench password 1234" | "$TMP/atrium" user create --email bench@studio.test --name Bench --role admin >/dev/null
start_atrium
J=(-fsS -b "$TMP/jar" -c "$TMP/jar" -H 'Content-Type: application/json')
curl "${J[@]}" -d '{"email":"bench@studio.test","password":"bench password 1234"}' "$BASE/api/session" >/dev/null
jget() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
PROJECT=$(curl "${J[@]}" -d '{"name":"Hillside Residence","clientName":"Jane Doe","targetDate":"2027-03-01"}' "$BASE/api/projects" | jget id)
for room in Kitchen "Living Room" Bedroom; do
  curl "${J[@]}" -d "{\"name\":\"$room\"}" "$BASE/api/projects/$PROJECT/rooms" >/dev/null
done
"$TMP/genimage" -o "$TMP/original.jpg"
upload() { # file title
  curl -fsS -b "$TMP/jar" -F "file=@$1;type=image/jpeg" -F "title=$2" -F "description=Approved view." \
    "$BASE/api/projects/$PROJECT/renderings" | jget id
}
approve() { curl "${J[@]}" -X PATCH -d '{"status":"approved"}' "$BASE/api/renderings/$1" >/dev/null; }
BIG=$(upload "$TMP/original.jpg" "Kitchen Island")
approve "$BIG"
"$TMP/genimage" -w 1600 -h 1000 -q 85 -o "$TMP/small.jpg"
for title in "Living Room North" "Living Room South" "Bedroom" "Kitchen Detail" "Entrance"; do
  approve "$(upload "$TMP/small.jpg" "$title")"
done
URL=$("$TMP/atrium" link create --project "$PROJECT" --label "bench" --expires 30d)
TOKEN=${URL##*/}
LINK=$(curl "${J[@]}" "$BASE/api/client-access?projectId=$PROJECT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["links"][0]["id"])')

# The exact bytes atrium serves, for nginx.
mkdir -p "$TMP/www" "$TMP/nginx"
curl -fsS "$BASE/api/client-progress/$TOKEN" -o "$TMP/www/client.json"
curl -fsS "$BASE/api/client-progress/$TOKEN/download/$BIG" -o "$TMP/www/original.jpg"
cmp -s "$TMP/www/original.jpg" "$TMP/original.jpg" || { echo "download differs from the upload" >&2; exit 1; }
chmod -R a+rX "$TMP/www"
echo "   JSON $(stat -c %s "$TMP/www/client.json") bytes, original $(stat -c %s "$TMP/www/original.jpg") bytes"

cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  types { application/json json; image/jpeg jpg; }
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    add_header Cache-Control no-store;
    add_header X-Robots-Tag "noindex, nofollow";
  }
}
EOF
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$NPORT/client.json" >/dev/null && break; sleep 0.05; done

# A fresh process, so that the peak RSS below is not the 50 MB upload's decode.
stop_atrium
start_atrium
sleep 1
IDLE=$(rss "$ATRIUM_PID" VmRSS)

wrk_rate() { awk '/^Requests\/sec/ {print $2}'; }
wrk_bytes() { # Transfer/sec in MB/s
  awk '/^Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2)+0;
    if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u!="MB") n=v/1048576; printf "%.0f", n}'
}
accesses() { curl "${J[@]}" "$BASE/api/client-access?projectId=$PROJECT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["links"][0]["accessCount"])'; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

DL_A=0 DL_N=1 PEAK=$IDLE HWM=0 JSON_A=0 JSON_N=1 JSON_G=1 DONE=0 BEFORE=0 AFTER=0 ERRS=
if [ "$ONLY" != json ]; then
echo "== downloads: $DL_CONN connections, $DURATION"
( while kill -0 "$ATRIUM_PID" 2>/dev/null; do rss "$ATRIUM_PID" VmRSS; sleep 0.1; done ) >"$TMP/rss.txt" &
SAMPLER=$!
wrk -t"$THREADS" -c"$DL_CONN" -d"$DURATION" "$BASE/api/client-progress/$TOKEN/download/$BIG" >"$TMP/wrk-dl-atrium.txt"
kill "$SAMPLER" 2>/dev/null || true
PEAK=$(sort -n "$TMP/rss.txt" | tail -1)
HWM=$(rss "$ATRIUM_PID" VmHWM)
wrk -t"$THREADS" -c"$DL_CONN" -d"$DURATION" "http://127.0.0.1:$NPORT/original.jpg" >"$TMP/wrk-dl-nginx.txt"
DL_A=$(wrk_bytes <"$TMP/wrk-dl-atrium.txt")
DL_N=$(wrk_bytes <"$TMP/wrk-dl-nginx.txt")
fi

if [ "$ONLY" != download ]; then
echo "== client JSON: $JSON_CONN connections, $DURATION"
BEFORE=$(accesses)
wrk -t"$THREADS" -c"$JSON_CONN" -d"$DURATION" "$BASE/api/client-progress/$TOKEN" >"$TMP/wrk-json-atrium.txt"
AFTER=$(accesses)
wrk -t"$THREADS" -c"$JSON_CONN" -d"$DURATION" "http://127.0.0.1:$NPORT/client.json" >"$TMP/wrk-json-nginx.txt"
JSON_A=$(wrk_rate <"$TMP/wrk-json-atrium.txt")
JSON_N=$(wrk_rate <"$TMP/wrk-json-nginx.txt")
# The same bytes from a bare Go net/http handler: what any Go server could do.
"$TMP/gostatic" "127.0.0.1:$GPORT" "$TMP/www/client.json" &
GOSTATIC_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$GPORT/" >/dev/null && break; sleep 0.05; done
wrk -t"$THREADS" -c"$JSON_CONN" -d"$DURATION" "http://127.0.0.1:$GPORT/" >"$TMP/wrk-json-go.txt"
JSON_G=$(wrk_rate <"$TMP/wrk-json-go.txt")
DONE=$(awk '/requests in/ {print $1}' "$TMP/wrk-json-atrium.txt")
ERRS=$(grep -E 'Non-2xx|Socket errors' "$TMP/wrk-json-atrium.txt" || true)
fi

echo
echo "== results ($DB, $(nproc) cores, wrk and both servers on one machine)"
printf 'client JSON   atrium %8.0f req/s   nginx %8.0f req/s   ratio %s (target >= 0.60)\n' "$JSON_A" "$JSON_N" "$(ratio "$JSON_A" "$JSON_N")"
printf '              bare Go net/http, same bytes: %.0f req/s (%s of nginx; atrium is %s of it)\n' "$JSON_G" "$(ratio "$JSON_G" "$JSON_N")" "$(ratio "$JSON_A" "$JSON_G")"
printf '              %s requests completed, access_count grew by %s\n' "$DONE" "$((AFTER - BEFORE))"
[ -n "$ERRS" ] && echo "              wrk: $ERRS"
printf 'download      atrium %8s MB/s     nginx %8s MB/s     ratio %s (target >= 0.80)\n' "$DL_A" "$DL_N" "$(ratio "$DL_A" "$DL_N")"
printf 'RSS           idle %s MB, peak during downloads %s MB (+%s MB; target <= +50), VmHWM %s MB\n' "$IDLE" "$PEAK" "$((PEAK - IDLE))" "$HWM"
