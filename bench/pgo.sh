#!/usr/bin/env bash
# bench/pgo.sh BUILDDIR — a profile-guided release build for benchmarks.
#
# Configures BUILDDIR (release, LTO, ns-3 when found) with
# -Db_pgo=generate, trains it on short capacity and HTTP runs on BOTH
# engines, then rebuilds with -Db_pgo=use.  Both engines must be in the
# training: code the training never runs is compiled as cold, and an
# ns-3 engine left out of it would be slowed down for nothing, which would
# flatter the native engine in bench/engines.sh.  The results are the same
# bytes as any other build's (bench/same-results.sh).
#
# Then:  bench/engines.sh BUILDDIR/cli/natkeep [SCENARIO.ini ...]
set -eu
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
# Starts afresh, but removes only an earlier meson build directory.
if [ -e "$build" ]; then
  [ -d "$build/meson-private" ] || { echo "$build exists and is not a meson build directory" >&2; exit 2; }
  rm -rf "$build"
fi
meson setup "$build" "$src" --buildtype=release -Db_lto=true -Db_pgo=generate >/dev/null
ninja -C "$build" >/dev/null
nk=$build/cli/natkeep
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
engines=(native)
"$nk" run "$src/scenarios/default.ini" --engine ns3 -o "$tmp/probe" >/dev/null 2>&1 \
  && engines+=(ns3)
for e in "${engines[@]}"; do
  "$nk" run "$src/scenarios/capacity-poisson.ini" --engine "$e" -o "$tmp/p-$e" \
    --set scenario.flows=20000 --set scenario.duration=20m >/dev/null
  "$nk" run "$src/scenarios/capacity-1m.ini" --engine "$e" -o "$tmp/c-$e" \
    --set scenario.flows=20000 --set scenario.duration=20m \
    --set faults.nat_reboot=15m >/dev/null
  "$nk" run "$src/scenarios/http-pool-fixed.ini" --engine "$e" -o "$tmp/h-$e" >/dev/null
done
meson configure "$build" -Db_pgo=use >/dev/null
# Only the programs the training ran have profiles; the rest (tests)
# warn about it (-Wmissing-profile) and are built as usual.
if ! ninja -C "$build" >"$tmp/ninja.log" 2>&1; then
  cat "$tmp/ninja.log" >&2
  exit 1
fi
echo "$nk: profile-guided with ${engines[*]}"
