#!/usr/bin/env bash
# Client side benchmark (issues 3 and 11): atrium on SQLite and on PostgreSQL,
# against nginx and a bare Go handler, on 127.0.0.1, in the same run, on the
# same bytes.
#
#   (a) the client JSON (GET /api/client-progress/{token}), every request
#       logged with group commit, on each database, against nginx and a bare
#       Go net/http handler serving the same bytes from memory; the targets
#       of issue 11 are printed as ratios: PostgreSQL / SQLite >= 0.70, each
#       database / bare Go >= 0.40;
#   (b) the download of a 50 MB original, against nginx serving that file;
#   (c) atrium's RSS idle and during 16 concurrent 50 MB downloads.
#
# Both atrium servers (one per database) run side by side; the JSON is
# measured ROUNDS times in turns (SQLite, PostgreSQL, bare Go, nginx) and
# the best round of each is kept, so that load from other tenants of a
# shared host weighs on all of them alike.
#
# Usage: bench/client.sh                 (both databases; PostgreSQL at
#                                         ATRIUM_TEST_POSTGRES or
#                                         postgres://postgres@127.0.0.1:5432/test)
#        DBS=sqlite bench/client.sh      (one database only)
# Settings: DURATION (10s), ROUNDS (2), JSON_CONN ("32 256": the JSON is
#           measured at each of these numbers of connections), DL_CONN (16),
#           THREADS (2), ONLY=json or ONLY=download to run half of it,
#           ATRIUM_BIN to measure another build of atrium.
# Needs: go, wrk, nginx, curl, psql (apt-get install -y wrk nginx-light curl).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}
JSON_CONN=${JSON_CONN:-32 256}
DL_CONN=${DL_CONN:-16}
THREADS=${THREADS:-2}
DBS=${DBS:-${DB:-sqlite postgres}}
ONLY=${ONLY:-}
for tool in go wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk nginx-light curl)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/atrium-bench.XXXXXX)
chmod 755 "$TMP" # nginx workers may run as another user
declare -A PID BASE TOKEN BIG PROJECT
NGINX_PID= GOSTATIC_PID= SCHEMA=
PG=${ATRIUM_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
cleanup() {
  for db in "${!PID[@]}"; do
    [ -n "${PID[$db]}" ] && kill "${PID[$db]}" 2>/dev/null && wait "${PID[$db]}" 2>/dev/null || true
  done
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$GOSTATIC_PID" ] && kill "$GOSTATIC_PID" 2>/dev/null || true
  [ -n "$SCHEMA" ] && psql "$PG" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NPORT=$(free_port)
GPORT=$(free_port)

echo "== build"
if [ -n "${ATRIUM_BIN:-}" ]; then cp "$ATRIUM_BIN" "$TMP/atrium"; else go build -o "$TMP/atrium" ./cmd/atrium; fi
go build -o "$TMP/genimage" ./bench/genimage
go build -o "$TMP/gostatic" ./bench/gostatic
"$TMP/genimage" -o "$TMP/original.jpg"
"$TMP/genimage" -w 1600 -h 1000 -q 85 -o "$TMP/small.jpg"

export ATRIUM_SECRET=bench-secret-bench-secret-bench-secret ATRIUM_STORAGE_URL=
# wrk connects from one address: lift the per-address connection cap.
export ATRIUM_MAX_CONNS_PER_IP=${ATRIUM_MAX_CONNS_PER_IP:-100000}
# Request logging at info writes a line per request; nginx below has
# access_log off, so atrium's per-request line is off too. The access log
# rows in the database are written either way.
export ATRIUM_LOG_LEVEL=${ATRIUM_LOG_LEVEL:-warn}

# env_for DB: the environment of atrium on that database.
env_for() {
  local db=$1 url=
  if [ "$db" = postgres ]; then
    sep='?'; case $PG in *\?*) sep='&';; esac
    url="$PG${sep}search_path=$SCHEMA"
  fi
  echo "ATRIUM_DATA=$TMP/data-$db ATRIUM_ADDR=${BASE[$db]#http://} ATRIUM_BASE_URL=${BASE[$db]} ATRIUM_DATABASE_URL=$url"
}
start_atrium() { # DB
  local db=$1
  env $(env_for "$db") "$TMP/atrium" serve 2>>"$TMP/atrium-$db.log" &
  PID[$db]=$!
  for _ in $(seq 200); do curl -fs "${BASE[$db]}/healthz" >/dev/null && return; sleep 0.05; done
  echo "atrium ($db) did not start:" >&2; cat "$TMP/atrium-$db.log" >&2; exit 1
}
stop_atrium() { kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true; PID[$1]=; }
rss() { awk -v k="$2:" '$1==k {print int($2/1024)}' "/proc/$1/status"; } # MB
jget() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

seed() { # DB: a project, three rooms, six approved renderings (one 50 MB), a link
  local db=$1 base=${BASE[$1]} jar=$TMP/jar-$1
  echo "== seed (database: $db)"
  if [ "$db" = postgres ]; then
    SCHEMA=bench_$(date +%s)_$$
    psql "$PG" -qc "CREATE SCHEMA $SCHEMA"
  fi
  echo "bench password 1234" | env $(env_for "$db") "$TMP/atrium" user create --email bench@studio.test --name Bench --role admin >/dev/null
  start_atrium "$db"
  local J=(-fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json')
  curl "${J[@]}" -d '{"email":"bench@studio.test","password":"bench password 1234"}' "$base/api/session" >/dev/null
  local project
  project=$(curl "${J[@]}" -d '{"name":"Hillside Residence","clientName":"Jane Doe","targetDate":"2027-03-01"}' "$base/api/projects" | jget id)
  PROJECT[$db]=$project
  for room in Kitchen "Living Room" Bedroom; do
    curl "${J[@]}" -d "{\"name\":\"$room\"}" "$base/api/projects/$project/rooms" >/dev/null
  done
  upload() { # file title
    curl -fsS -b "$jar" -F "file=@$1;type=image/jpeg" -F "title=$2" -F "description=Approved view." \
      "$base/api/projects/$project/renderings" | jget id
  }
  approve() { curl "${J[@]}" -X PATCH -d '{"status":"approved"}' "$base/api/renderings/$1" >/dev/null; }
  BIG[$db]=$(upload "$TMP/original.jpg" "Kitchen Island")
  approve "${BIG[$db]}"
  for title in "Living Room North" "Living Room South" "Bedroom" "Kitchen Detail" "Entrance"; do
    approve "$(upload "$TMP/small.jpg" "$title")"
  done
  local url
  url=$(env $(env_for "$db") "$TMP/atrium" link create --project "$project" --label "bench" --expires 30d)
  TOKEN[$db]=${url##*/}
}
accesses() { # DB
  curl -fsS -b "$TMP/jar-$1" "${BASE[$1]}/api/client-access?projectId=${PROJECT[$1]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["links"][0]["accessCount"])'
}

for db in $DBS; do
  BASE[$db]=http://127.0.0.1:$(free_port)
  seed "$db"
done
FIRST=${DBS%% *}

# The exact bytes atrium serves, for nginx and the bare Go handler.
mkdir -p "$TMP/www" "$TMP/nginx"
curl -fsS "${BASE[$FIRST]}/api/client-progress/${TOKEN[$FIRST]}" -o "$TMP/www/client.json"
curl -fsS "${BASE[$FIRST]}/api/client-progress/${TOKEN[$FIRST]}/download/${BIG[$FIRST]}" -o "$TMP/www/original.jpg"
cmp -s "$TMP/www/original.jpg" "$TMP/original.jpg" || { echo "download differs from the upload" >&2; exit 1; }
chmod -R a+rX "$TMP/www"
for db in $DBS; do
  echo "   JSON ($db) $(curl -fsS "${BASE[$db]}/api/client-progress/${TOKEN[$db]}" | wc -c) bytes"
done
echo "   original $(stat -c %s "$TMP/www/original.jpg") bytes"

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

"$TMP/gostatic" "127.0.0.1:$GPORT" "$TMP/www/client.json" &
GOSTATIC_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$GPORT/" >/dev/null && break; sleep 0.05; done

# Fresh processes, so that the peak RSS below is not the 50 MB upload's decode.
for db in $DBS; do stop_atrium "$db"; start_atrium "$db"; done
sleep 1
declare -A IDLE PEAK HWM DL_A
for db in $DBS; do IDLE[$db]=$(rss "${PID[$db]}" VmRSS); done

wrk_rate() { awk '/^Requests\/sec/ {print $2}'; }
wrk_bytes() { # Transfer/sec in MB/s
  awk '/^Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2)+0;
    if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u!="MB") n=v/1048576; printf "%.0f", n}'
}
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
best() { python3 -c "import sys; print(max(float(x) for x in sys.argv[1:]))" "$@"; }
median() { python3 -c "import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

DL_N=1
if [ "$ONLY" != json ]; then
  for db in $DBS; do
    echo "== downloads ($db): $DL_CONN connections, $DURATION"
    ( while kill -0 "${PID[$db]}" 2>/dev/null; do rss "${PID[$db]}" VmRSS; sleep 0.1; done ) >"$TMP/rss-$db.txt" &
    SAMPLER=$!
    wrk -t"$THREADS" -c"$DL_CONN" -d"$DURATION" "${BASE[$db]}/api/client-progress/${TOKEN[$db]}/download/${BIG[$db]}" >"$TMP/wrk-dl-$db.txt"
    kill "$SAMPLER" 2>/dev/null || true
    PEAK[$db]=$(sort -n "$TMP/rss-$db.txt" | tail -1)
    HWM[$db]=$(rss "${PID[$db]}" VmHWM)
    DL_A[$db]=$(wrk_bytes <"$TMP/wrk-dl-$db.txt")
  done
  wrk -t"$THREADS" -c"$DL_CONN" -d"$DURATION" "http://127.0.0.1:$NPORT/original.jpg" >"$TMP/wrk-dl-nginx.txt"
  DL_N=$(wrk_bytes <"$TMP/wrk-dl-nginx.txt")
fi

# json_level CONN: the client JSON at CONN connections, ROUNDS rounds in
# turns, printed with the ratios the targets are about.
json_level() {
  local conn=$1 db round
  declare -A RATES BEFORE DONE ERRS JSON_A GREW
  local RATES_N= RATES_G= JSON_N JSON_G
  for db in $DBS; do DONE[$db]=0; RATES[$db]=; ERRS[$db]=; BEFORE[$db]=$(accesses "$db"); done
  for round in $(seq "$ROUNDS"); do
    for db in $DBS; do
      echo "== client JSON ($db), $conn connections, round $round, $DURATION"
      wrk -t"$THREADS" -c"$conn" -d"$DURATION" "${BASE[$db]}/api/client-progress/${TOKEN[$db]}" >"$TMP/wrk-json-$db.txt"
      RATES[$db]="${RATES[$db]} $(wrk_rate <"$TMP/wrk-json-$db.txt")"
      DONE[$db]=$((DONE[$db] + $(awk '/requests in/ {print $1}' "$TMP/wrk-json-$db.txt")))
      ERRS[$db]="${ERRS[$db]}$(grep -E 'Non-2xx|Socket errors' "$TMP/wrk-json-$db.txt" || true)"
    done
    echo "== bare Go and nginx, $conn connections, round $round"
    wrk -t"$THREADS" -c"$conn" -d"$DURATION" "http://127.0.0.1:$GPORT/" >"$TMP/wrk-json-go.txt"
    RATES_G="$RATES_G $(wrk_rate <"$TMP/wrk-json-go.txt")"
    wrk -t"$THREADS" -c"$conn" -d"$DURATION" "http://127.0.0.1:$NPORT/client.json" >"$TMP/wrk-json-nginx.txt"
    RATES_N="$RATES_N $(wrk_rate <"$TMP/wrk-json-nginx.txt")"
  done
  for db in $DBS; do
    JSON_A[$db]=$(best ${RATES[$db]})
    GREW[$db]=$(( $(accesses "$db") - BEFORE[$db] ))
  done
  JSON_G=$(best $RATES_G)
  JSON_N=$(best $RATES_N)
  {
    echo "client JSON at $conn connections, best of $ROUNDS rounds of $DURATION"
    echo "   rounds (req/s): nginx$RATES_N; bare Go$RATES_G"
    for db in $DBS; do echo "                   $db${RATES[$db]}"; done
    printf '   nginx %8.0f req/s   bare Go net/http, same bytes %8.0f req/s (%s of nginx)\n' "$JSON_N" "$JSON_G" "$(ratio "$JSON_G" "$JSON_N")"
    for db in $DBS; do
      printf '   %-10s atrium %8.0f req/s   %s of bare Go (target >= 0.40)   %s of nginx\n' "$db" "${JSON_A[$db]}" "$(ratio "${JSON_A[$db]}" "$JSON_G")" "$(ratio "${JSON_A[$db]}" "$JSON_N")"
      printf '              %s requests completed, access_count grew by %s\n' "${DONE[$db]}" "${GREW[$db]}"
      [ -n "${ERRS[$db]}" ] && echo "              wrk: ${ERRS[$db]}"
    done
    if [ -n "${JSON_A[sqlite]:-}" ] && [ -n "${JSON_A[postgres]:-}" ]; then
      printf '   PostgreSQL / SQLite: %s (target >= 0.70)\n' "$(ratio "${JSON_A[postgres]}" "${JSON_A[sqlite]}")"
    fi
    # Medians weigh a burst of load on one server's rounds less than bests.
    printf '   medians of the rounds:'
    for db in $DBS; do printf ' %s / bare Go %s;' "$db" "$(ratio "$(median ${RATES[$db]})" "$(median $RATES_G)")"; done
    if [ -n "${JSON_A[sqlite]:-}" ] && [ -n "${JSON_A[postgres]:-}" ]; then
      printf ' PostgreSQL / SQLite %s' "$(ratio "$(median ${RATES[postgres]})" "$(median ${RATES[sqlite]})")"
    fi
    echo
  } >>"$TMP/results.txt"
}
: >"$TMP/results.txt"
if [ "$ONLY" != download ]; then
  for conn in $JSON_CONN; do json_level "$conn"; done
fi

echo
echo "== results ($(nproc) cores, wrk and all servers on one machine)"
cat "$TMP/results.txt"
if [ "$ONLY" != json ]; then
  for db in $DBS; do
    printf 'download %-8s atrium %6s MB/s   nginx %6s MB/s   ratio %s (target >= 0.80)\n' "$db" "${DL_A[$db]}" "$DL_N" "$(ratio "${DL_A[$db]}" "$DL_N")"
    printf 'RSS      %-8s idle %s MB, peak during downloads %s MB (+%s MB; target <= +50), VmHWM %s MB\n' "$db" "${IDLE[$db]}" "${PEAK[$db]}" "$((PEAK[$db] - IDLE[$db]))" "${HWM[$db]}"
  done
fi
