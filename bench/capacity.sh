#!/usr/bin/env bash
# bench/capacity.sh — `natkeep bench capacity` at N = 10^4, 10^5 and 10^6
# flows, then how wall time and peak memory grow with N: the fitted
# exponent log(y3 / y1) / log(N3 / N1) between 10^4 and 10^6 (1.0 =
# linear).  Then a determinism check: two runs at 10^5 flows write
# points.tsv and flows.tsv, whose sha256 sums must be equal.
#
# Environment: CAPACITY_HOURS (simulated hours for 10^4 and 10^5, default
# 24), CAPACITY_1M_HOURS (for 10^6, default CAPACITY_HOURS; the exponent
# uses wall time per simulated hour when they differ),
# CAPACITY_DET_HOURS (the determinism runs, default 2).
# Prints TSV rows, then "# ..." summary lines; exit 1 if the two runs differ.
set -eu
nk=$1
h=${CAPACITY_HOURS:-24}
h1m=${CAPACITY_1M_HOURS:-$h}
hdet=${CAPACITY_DET_HOURS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$nk" bench capacity --flows 10000 --hours "$h" | tee "$tmp/rows"
"$nk" bench capacity --flows 100000 --hours "$h" | tail -n 1 | tee -a "$tmp/rows"
"$nk" bench capacity --flows 1000000 --hours "$h1m" | tail -n 1 | tee -a "$tmp/rows"

# Columns: flows sim_hours events wall_s events_per_s flows_per_s bytes_per_flow peak_rss_kb
awk -F '\t' 'NR > 1 { n[NR-1] = $1; hr[NR-1] = $2; w[NR-1] = $4 / $2; m[NR-1] = $8 }
  END {
    printf "# exponent wall_s/sim_hour vs flows, 10^4..10^6: %.3f (10^4..10^5: %.3f, 10^5..10^6: %.3f)\n",
      log(w[3] / w[1]) / log(n[3] / n[1]), log(w[2] / w[1]) / log(n[2] / n[1]), log(w[3] / w[2]) / log(n[3] / n[2])
    printf "# exponent peak_rss_kb vs flows, 10^4..10^6: %.3f (10^5..10^6: %.3f)\n",
      log(m[3] / m[1]) / log(n[3] / n[1]), log(m[3] / m[2]) / log(n[3] / n[2])
  }' "$tmp/rows"

for run in a b; do
  "$nk" bench capacity --flows 100000 --hours "$hdet" -o "$tmp/$run" --flows-tsv > /dev/null
done
sa=$(cd "$tmp/a" && sha256sum points.tsv flows.tsv)
sb=$(cd "$tmp/b" && sha256sum points.tsv flows.tsv)
echo "$sa" | sed 's/^/# run a: /'
echo "$sb" | sed 's/^/# run b: /'
if [ "$sa" = "$sb" ]; then
  echo "# determinism: two 10^5-flow runs of $hdet h give identical points.tsv and flows.tsv"
else
  echo "# determinism: FAILED, the two runs differ"
  exit 1
fi
