#!/usr/bin/env bash
# bench/same-results.sh OLD NEW [SCENARIO.ini ...] — do two natkeep
# binaries give the same bytes?  For a change meant to be invisible in the
# results (a smaller record, a faster queue), run every committed scenario
# (or the ones named) with both and compare points.tsv, flows.tsv and, for
# flow 0, trace.txt (all but the version in their first line).  Sweeps run as `sweep --flows`; capacity scenarios are
# cut to 20000 flows and 2 h so the check takes seconds, plus three
# variants that take other NAT paths (loose pickup with preserve and
# random ports, sequential ports with server keep-alive).
#
# With --ignore-events first, the `events` column of points.tsv (how much
# work the engine did, not what happened) is left out of the comparison:
# for a change that saves events without changing any outcome.
#
# Prints one line per case and "N same, N different"; exit 1 if any differ.
set -uo pipefail
ignore_events=0
if [ "${1:-}" = --ignore-events ]; then ignore_events=1; shift; fi
[ $# -ge 2 ] || { echo "usage: $0 [--ignore-events] OLD-NATKEEP NEW-NATKEEP [SCENARIO.ini ...]" >&2; exit 2; }
old=$1 new=$2
shift 2
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then scen=("$@"); else scen=(scenarios/*.ini); fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
same=0 diff=0

# compare NAME ARGS...: runs both binaries with ARGS + -o DIR.
# The file as compared: no version in the first line (a version bump is
# not a change of results) and, with --ignore-events, no events column.
normalize () {
  sed -E '1s/^# natkeep [0-9.]+/# natkeep/' "$1" 2>/dev/null |
    if [ $ignore_events = 1 ] && [ "$(basename "$1")" = points.tsv ]; then
      awk -F'\t' -v OFS='\t' '
        /^#/ { print; next }
        !hdr { hdr = 1; for (i = 1; i <= NF; i++) if ($i == "events") col = i }
        { if (col) { for (i = col; i < NF; i++) $i = $(i + 1); NF-- } print }'
    else
      cat
    fi
}

compare () {
  local name=$1; shift
  local ok=1 f
  "$old" "$@" -o "$tmp/old" >/dev/null 2>"$tmp/old.err"; local so=$?
  "$new" "$@" -o "$tmp/new" >/dev/null 2>"$tmp/new.err"; local sn=$?
  if [ $so -ne $sn ]; then ok=0; fi
  for f in points.tsv flows.tsv trace.txt; do
    if [ -e "$tmp/old/$f" ] || [ -e "$tmp/new/$f" ]; then
      cmp -s <(normalize "$tmp/old/$f") <(normalize "$tmp/new/$f") || ok=0
      [ -e "$tmp/old/$f" ] && [ -e "$tmp/new/$f" ] || ok=0
    fi
  done
  if [ $ok = 1 ]; then
    same=$((same + 1)); echo "same       $name"
  else
    diff=$((diff + 1)); echo "DIFFERENT  $name (exit $so vs $sn)"
  fi
  rm -rf "$tmp/old" "$tmp/new"
}

for s in "${scen[@]}"; do
  base=$(basename "$s" .ini)
  case $base in
    capacity-*)
      compare "$base" run "$s" --flows --set scenario.flows=20000 \
        --set scenario.duration=2h --set faults.nat_reboot=1h ;;
    *)
      if grep -q '^\[sweep\]' "$s"; then
        compare "$base (sweep)" sweep "$s" --flows --quiet
      else
        compare "$base" run "$s" --flows --trace
      fi ;;
  esac
done

if [ $# -eq 0 ]; then
  cap=(run scenarios/capacity-10k.ini --flows --set scenario.duration=2h --set faults.nat_reboot=1h)
  compare "capacity-10k loose+preserve" "${cap[@]}" --set nat.loose=on --set nat.port_mode=preserve
  compare "capacity-10k loose+random" "${cap[@]}" --set nat.loose=on --set nat.port_mode=random
  compare "capacity-10k sequential+server keep-alive" "${cap[@]}" \
    --set nat.port_mode=sequential --set server.keepalive=on --set server.keepidle=200s
fi

echo "$same same, $diff different"
[ $diff -eq 0 ]
