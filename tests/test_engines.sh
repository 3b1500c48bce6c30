#!/usr/bin/env bash
# tests/test_engines.sh — every committed scenario gives the same bytes on
# every engine.  The event queue only orders events, and all of them order
# by (time, sequence), so points.tsv and flows.tsv must not differ by one
# byte between the native timing wheel, the native heap and ns-3's
# Simulator; a difference is a tie-order or clock bug in a backend, never
# "numerical noise".  TAP output.
#
# Large scenarios (capacity-*.ini: 10^4..10^6 flows over 24 h) would take
# minutes to hours three times over, so above MAX_FLOWS flows the test runs
# them with --set scenario.flows=MAX_FLOWS: the same configuration and code
# paths, fewer connections.  NATKEEP_ENGINES_FULL=1 runs every scenario at
# full size (by hand: capacity-1m alone takes about an hour on ns-3).
#
# Usage: test_engines.sh PATH/TO/natkeep HAVE_NS3 (1 or 0)
# Without ns-3 the ns-3 comparisons are reported as TAP skips, so the
# heap-vs-wheel half still runs in a -Dns3=disabled build.
set -u
nk=$1
have_ns3=${2:-0}
src=${G_TEST_SRCDIR:-$(dirname "$0")}/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
max_flows=200

shopt -s nullglob
scenarios=("$src"/scenarios/*.ini)
if [ ${#scenarios[@]} -eq 0 ]; then
  echo "1..0 # SKIP no scenarios in $src/scenarios"
  exit 0
fi

# run NAME SCENARIO ARGS...: one run into $tmp/NAME; a failure is reported
# with the command's stderr so a broken backend is not a silent cmp error.
run () {
  local out=$tmp/$1 s=$2; shift 2
  # An empty PATH hides gnuplot: the timeline plot is a convenience that
  # does not enter the TSV files and would triple the test's time.
  if ! PATH=$tmp/nobin "$nk" run "$s" -o "$out" --flows "$@" >"$out.stdout" 2>"$out.stderr"; then
    echo "# natkeep run $s $* failed:" ; sed 's/^/#   /' "$out.stderr"
    return 1
  fi
}

# same A B: points.tsv and flows.tsv identical byte for byte.
same () {
  cmp "$tmp/$1/points.tsv" "$tmp/$2/points.tsv" >&2 \
    && cmp "$tmp/$1/flows.tsv" "$tmp/$2/flows.tsv" >&2
}

tap () {   # tap OK DESCRIPTION
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi
}

# Scenarios with a [sweep] also go through `natkeep sweep`, every point.
n_sweeps=$(grep -l '^[[:space:]]*\[sweep\]' "${scenarios[@]}" | wc -l)
echo "1..$((2 * ${#scenarios[@]} + n_sweeps))"
for s in "${scenarios[@]}"; do
  b=$(basename "$s" .ini)
  t0=$(date +%s.%N)
  # [scenario] flows = N (a bare integer; the default is small).
  flows=$(awk '/^[ \t]*\[/ { g = $0 } g ~ /^[ \t]*\[scenario\]/ && $1 == "flows" { print $3; exit }' "$s")
  set_args=()
  if [ "${NATKEEP_ENGINES_FULL:-0}" != 1 ] && [ -n "$flows" ] && [ "$flows" -gt "$max_flows" ] 2>/dev/null; then
    set_args=(--set "scenario.flows=$max_flows")
    b="$b (flows $flows -> $max_flows)"
  fi
  d=$(basename "$s" .ini)
  run "$d.wheel" "$s" --scheduler wheel "${set_args[@]}"; rw=$?
  run "$d.heap" "$s" --scheduler heap "${set_args[@]}"; rh=$?
  r=1
  [ $rw = 0 ] && [ $rh = 0 ] && same "$d.wheel" "$d.heap" && r=0
  tap $r "$b: heap and wheel write identical points.tsv and flows.tsv"

  n=$((n + 1))
  if [ "$have_ns3" != 1 ]; then
    echo "ok $n - $b: native vs ns-3 # SKIP natkeep built without ns-3 (-Dns3=disabled or libns3-dev missing)"
    if grep -q '^[[:space:]]*\[sweep\]' "$s"; then
      n=$((n + 1))
      echo "ok $n - $b: sweep native vs ns-3 # SKIP natkeep built without ns-3"
    fi
    continue
  fi
  run "$d.ns3" "$s" --engine ns3 "${set_args[@]}"; rn=$?
  if [ $rw = 0 ] && [ $rn = 0 ] && same "$d.wheel" "$d.ns3"; then
    echo "ok $n - $b: --engine ns3 writes the native bytes"
  else
    echo "not ok $n - $b: --engine ns3 writes the native bytes"
    diff "$tmp/$d.wheel/points.tsv" "$tmp/$d.ns3/points.tsv" | head -5 | sed 's/^/# /'
    diff "$tmp/$d.wheel/flows.tsv" "$tmp/$d.ns3/flows.tsv" | head -5 | sed 's/^/# /'
    fail=$((fail + 1))
  fi
  if grep -q '^[[:space:]]*\[sweep\]' "$s"; then
    n=$((n + 1))
    for e in native ns3; do
      PATH=$tmp/nobin "$nk" sweep "$s" -o "$tmp/$d.sweep-$e" --quiet --flows --engine $e \
        "${set_args[@]}" >"$tmp/$d.sweep-$e.out" 2>&1 \
        || { echo "# natkeep sweep $s --engine $e failed:"; sed 's/^/#   /' "$tmp/$d.sweep-$e.out"; }
    done
    r=1
    if [ -f "$tmp/$d.sweep-native/points.tsv" ] && [ -f "$tmp/$d.sweep-ns3/points.tsv" ]; then
      r=0
      for f in "$tmp/$d.sweep-native"/*.tsv; do
        cmp "$f" "$tmp/$d.sweep-ns3/$(basename "$f")" >&2 || r=1
      done
    fi
    if [ $r = 0 ]; then
      echo "ok $n - $b: sweep --engine ns3 writes the native bytes (every point)"
    else
      echo "not ok $n - $b: sweep --engine ns3 writes the native bytes (every point)"
      fail=$((fail + 1))
    fi
  fi
  # Slow scenarios make the suite slow for everyone: say which.
  awk -v a="$t0" -v b="$(date +%s.%N)" -v s="$b" \
    'BEGIN { if (b - a > 5) printf "# %s took %.1f s for three runs\n", s, b - a }'
  rm -rf "$tmp/$d".*
done
exit $((fail > 0))
