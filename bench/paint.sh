#!/usr/bin/env bash
# The client page's paint on a slow phone (issue 15): runs
# e2e.BenchmarkClientPagePaint (the demo client page, cold, in Chromium
# with 150 ms latency, 200,000 B/s down, 93,750 B/s up and the CPU slowed
# 4×, a fresh browser profile each run) and prints the medians per device.
#
# With BASE=<git ref>, that build of atrium is built and started with its
# demo (`atrium demo`) beside this one, and every run loads both pages in
# turn, so that other load on the machine weighs on both alike; the table
# then shows before, after and after/before.
#
#   bench/paint.sh                    RUNS=9 bench/paint.sh
#   BASE=903b487 bench/paint.sh       (the page before issue 15)
#
# RUNS sets the cold runs per device (default 5), DEVICES a regexp of the
# devices (phone, desktop, phone-nojs, desktop-nojs), ATRIUM_PAINT_CPU the
# CPU slowdown (default 4; 1 shows what the network alone costs). Needs go and chromium
# (or $ATRIUM_CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")/.."
TMP=$(mktemp -d /tmp/atrium-paint.XXXXXX)
BASE_PID=
cleanup() {
  [ -n "$BASE_PID" ] && kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
baseline=
if [ -n "${BASE:-}" ]; then
  mkdir "$TMP/src"
  git archive "$BASE" | tar -x -C "$TMP/src"
  (cd "$TMP/src" && go build -o "$TMP/atrium-base" ./cmd/atrium)
  port=$((20000 + RANDOM % 20000))
  "$TMP/atrium-base" demo --data "$TMP/data" --addr "127.0.0.1:$port" --log-level warn >"$TMP/base.out" 2>&1 &
  BASE_PID=$!
  for _ in $(seq 1 600); do
    baseline=$(sed -n 's/^ *client link: *//p' "$TMP/base.out")
    [ -n "$baseline" ] && break
    kill -0 "$BASE_PID" 2>/dev/null || { cat "$TMP/base.out"; exit 1; }
    sleep 0.2
  done
  [ -n "$baseline" ] || { echo "bench: the $BASE demo did not start" >&2; cat "$TMP/base.out"; exit 1; }
  echo "baseline $BASE: $baseline"
fi
out=$(ATRIUM_PAINT_BASELINE=$baseline ATRIUM_PAINT_RUNS=${RUNS:-5} go test ./e2e -run '^$' -bench "ClientPagePaint/${DEVICES:-}" -benchtime 1x -timeout 60m 2>&1 | grep -v 'level=INFO')
echo "$out" | grep -E 'ClientPagePaint|: LCP' || true
echo
echo "$out" | awk -v base="$baseline" '
  BEGIN {
    if (base == "") printf "%-14s %8s %8s %9s %18s\n", "device", "LCP-ms", "FCP-ms", "CLS", "bytes-before-LCP"
    else printf "%-14s %16s %16s %20s %24s\n", "device", "LCP-ms (ratio)", "FCP-ms (ratio)", "CLS before/after", "bytes<LCP before/after"
  }
  /^BenchmarkClientPagePaint\// {
    split($1, n, "/"); sub(/-[0-9]+$/, "", n[2]); delete v
    for (i = 4; i < NF; i++) v[$(i+1)] = $i
    if (base == "") { printf "%-14s %8s %8s %9s %18s\n", n[2], v["lcp-ms"], v["fcp-ms"], v["cls"], v["bytes-before-lcp"]; next }
    printf "%-14s %5s→%-5s %4.2f %5s→%-5s %4.2f %9s/%-9s %11s/%-11s\n", n[2],
      v["before-lcp-ms"], v["lcp-ms"], v["lcp-ms"] / v["before-lcp-ms"], v["before-fcp-ms"], v["fcp-ms"], v["fcp-ms"] / v["before-fcp-ms"],
      v["before-cls"], v["cls"], v["before-bytes-before-lcp"], v["bytes-before-lcp"]
  }'
echo "$out" | grep -q '^ok' || { echo "$out" | tail -20; exit 1; }
