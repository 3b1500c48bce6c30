#!/usr/bin/env bash
# bench/engines.sh NATKEEP [SCENARIO.ini [--set GROUP.KEY=VALUE ...]] — the
# same scenario on the native engine (timing wheel) and on ns-3's
# Simulator (--engine ns3, its default MapScheduler), one after the other
# in one script: wall time of each, their ratio, peak RSS, and whether
# points.tsv and flows.tsv are the same bytes (they must be).
#
# Default: two scenarios, each on both engines.
#  - scenarios/capacity-poisson.ini as committed: 10^6 flows for one
#    simulated hour, each sending at Poisson times, so ~10^6 events are
#    pending in random order, the queue ns-3's map is slowest on.
#    (Native ~1 min, ns-3 ~11 min.)
#  - scenarios/capacity-1m.ini cut to 20 simulated minutes (10^6 flows
#    open over the first 10, then keep-alives every 60 s): timers armed a
#    fixed delay ahead reach ns-3's map nearly in order, its cheapest case.
# ENGINES_FLOWS overrides the flow count of both.
# Prints a TSV row per (scenario, engine), then a "# ..." line per
# scenario with the ratio; exit 1 if any bytes differ.
set -eu
nk=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# compare NAME SCENARIO ARGS...: both engines, a row each, then the ratio.
compare () {
  local name=$1 scen=$2
  shift 2
  for e in native ns3; do
    /usr/bin/time -f '%e %M' -o "$tmp/time-$e" \
      "$nk" run "$scen" "$@" --engine "$e" --flows -o "$tmp/$e" >/dev/null
    read -r wall rss < "$tmp/time-$e"
    printf '%s\t%s\t%s\t%s\n' "$name" "$e" "$wall" "$rss"
  done
  read -r wn _ < "$tmp/time-native"
  read -r w3 _ < "$tmp/time-ns3"
  if cmp -s "$tmp/native/points.tsv" "$tmp/ns3/points.tsv" \
     && cmp -s "$tmp/native/flows.tsv" "$tmp/ns3/flows.tsv"; then
    same="points.tsv and flows.tsv identical"
  else
    same="points.tsv or flows.tsv DIFFER"
    status=1
  fi
  awk -v s="$name" -v a="$w3" -v b="$wn" -v same="$same" \
    'BEGIN { printf "# %s: native is %.1fx faster than ns3; %s\n", s, a / b, same }'
  rm -rf "$tmp/native" "$tmp/ns3"
}

printf 'scenario\tengine\twall_s\tpeak_rss_kb\n'
if [ $# -gt 0 ]; then
  scen=$1
  shift
  compare "$(basename "$scen" .ini)" "$scen" "$@"
else
  dir="$(dirname "$0")/../scenarios"
  flows=()
  [ -n "${ENGINES_FLOWS:-}" ] && flows=(--set "scenario.flows=$ENGINES_FLOWS")
  compare capacity-poisson "$dir/capacity-poisson.ini" "${flows[@]}"
  compare capacity-1m-20min "$dir/capacity-1m.ini" --set scenario.duration=20m \
    --set faults.nat_reboot=15m --set "scenario.flows=${ENGINES_FLOWS:-1000000}"
fi
exit $status
