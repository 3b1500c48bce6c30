#!/usr/bin/env bash
# bench/engines.sh NATKEEP [SCENARIO.ini [--set GROUP.KEY=VALUE ...]] — the
# same scenario on the native engine (timing wheel) and on ns-3's
# Simulator (--engine ns3, its default MapScheduler), one after the other
# in one script: wall time of each, their ratio, peak RSS, and whether
# points.tsv and flows.tsv are the same bytes (they must be).
#
# Default: scenarios/capacity-1m.ini cut to 20 simulated minutes (10^6
# flows open over the first 10, then keep-alives every 60 s), the
# question natkeep exists for and a queue of ~10^6 pending timers.
# ENGINES_FLOWS overrides the flow count of the default.
# Prints a TSV row per engine, then "# ..." lines; exit 1 if bytes differ.
set -eu
nk=$1
shift
if [ $# -gt 0 ]; then
  scen=$1
  shift
  args=("$@")
else
  scen="$(dirname "$0")/../scenarios/capacity-1m.ini"
  args=(--set scenario.duration=20m --set faults.nat_reboot=15m
        --set "scenario.flows=${ENGINES_FLOWS:-1000000}")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'engine\twall_s\tpeak_rss_kb\n'
for e in native ns3; do
  /usr/bin/time -f '%e %M' -o "$tmp/time-$e" \
    "$nk" run "$scen" "${args[@]}" --engine "$e" --flows -o "$tmp/$e" >/dev/null
  read -r wall rss < "$tmp/time-$e"
  printf '%s\t%s\t%s\n' "$e" "$wall" "$rss"
done
read -r wn _ < "$tmp/time-native"
read -r w3 _ < "$tmp/time-ns3"
awk -v a="$w3" -v b="$wn" 'BEGIN { printf "# native is %.1fx faster than ns3\n", a / b }'
if cmp -s "$tmp/native/points.tsv" "$tmp/ns3/points.tsv" \
   && cmp -s "$tmp/native/flows.tsv" "$tmp/ns3/flows.tsv"; then
  echo "# points.tsv and flows.tsv identical"
else
  echo "# points.tsv or flows.tsv DIFFER"
  exit 1
fi
