#!/usr/bin/env bash
# bench/http.sh — simulated HTTP requests per wall second: N clients, one
# request per second each, for H hours (default 10^4 clients, 1 h), through
# scenarios/http-pool-fixed.ini.  Prints TSV: clients sim_hours requests
# events wall_s requests_per_s peak_rss_kb.
set -eu
nk=$1
src=$(cd "$(dirname "$0")/.." && pwd)
n=${HTTP_CLIENTS:-10000}
h=${HTTP_HOURS:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
/usr/bin/env time -f '%M' -o "$out/rss" "$nk" run "$src/scenarios/http-pool-fixed.ini" -o "$out/r" \
  --set scenario.flows="$n" --set scenario.duration="${h}h" --set app.interval=1s \
  --set scenario.open="uniform 0s 1s" >/dev/null
end=$(date +%s.%N)
row=$(grep -v '^#' "$out/r/points.tsv" | sed -n 2p)
requests=$(echo "$row" | cut -f16)
events=$(echo "$row" | cut -f15)
printf 'clients\tsim_hours\trequests\tevents\twall_s\trequests_per_s\tpeak_rss_kb\n'
awk -v n="$n" -v h="$h" -v r="$requests" -v e="$events" -v s="$start" -v t="$end" -v m="$(cat "$out/rss")" \
  'BEGIN { w = t - s; printf "%d\t%g\t%d\t%d\t%.3f\t%.0f\t%d\n", n, h, r, e, w, r / w, m }'
