#!/usr/bin/env bash
# The client page's paint on a slow phone (issue 15): runs
# e2e.BenchmarkClientPagePaint (the demo client page, cold, in Chromium
# with 150 ms latency, 200,000 B/s down, 93,750 B/s up and the CPU slowed
# 4×) and prints the medians per device. RUNS sets the cold runs per
# device (default 5). Needs chromium (or $ATRIUM_CHROMIUM).
#
#   bench/paint.sh            RUNS=9 bench/paint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(ATRIUM_PAINT_RUNS=${RUNS:-5} go test ./e2e -run '^$' -bench 'ClientPagePaint' -benchtime 1x -timeout 30m 2>&1 | grep -v 'level=INFO')
echo "$out" | grep -E 'ClientPagePaint|: LCP' || true
echo
printf '%-14s %8s %8s %7s %18s\n' device LCP-ms FCP-ms CLS bytes-before-LCP
echo "$out" | awk '/^BenchmarkClientPagePaint\// {
  split($1, n, "/"); sub(/-[0-9]+$/, "", n[2]);
  for (i = 4; i < NF; i++) v[$(i+1)] = $i;
  printf "%-14s %8s %8s %7s %18s\n", n[2], v["lcp-ms"], v["fcp-ms"], v["cls"], v["bytes-before-lcp"] }'
echo "$out" | grep -q '^ok' || { echo "$out" | tail -20; exit 1; }
