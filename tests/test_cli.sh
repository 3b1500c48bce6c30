#!/usr/bin/env bash
# tests/test_cli.sh — the natkeep command line as users see it: exit
# statuses, one-line errors, --help/--version, and the engine benchmark's
# TSV shape.  TAP output.  Usage: test_cli.sh PATH/TO/natkeep
set -u
nk=$1
src=${G_TEST_SRCDIR:-$(dirname "$0")}/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () {   # ok DESCRIPTION COMMAND...
  n=$((n + 1))
  local d=$1; shift
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
status () {   # status EXPECTED COMMAND... : exit status equals EXPECTED
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || { echo "# exit $got, expected $want: $*" >&2; cat "$tmp/err" >&2; return 1; }
}

ok "--version prints the version" bash -c "'$nk' --version | grep -Eq '^natkeep [0-9]+\.[0-9]+\.[0-9]+$'"
ok "--help lists every subcommand" bash -c "'$nk' --help | grep -q 'natkeep run' && '$nk' --help | grep -q 'natkeep bench engine' && '$nk' --help | grep -q 'natkeep merge'"
ok "--help exits 0" status 0 "$nk" --help
ok "no arguments: usage, exit 2" status 2 "$nk"
ok "unknown command: exit 2" status 2 "$nk" frobnicate
ok "unknown command: one line on stderr" bash -c "'$nk' frobnicate 2>&1 >/dev/null | wc -l | grep -qx 1"
ok "unknown option: exit 2" status 2 "$nk" --frobnicate
ok "bench without subcommand: exit 2" status 2 "$nk" bench
ok "bench engine without --pending: exit 2" status 2 "$nk" bench engine
ok "bench engine bad --pending: exit 2" status 2 "$nk" bench engine --pending 0
ok "bench engine unknown scheduler: exit 2" status 2 "$nk" bench engine --pending 10 --scheduler map

# The benchmark's TSV: header, then one row per scheduler built in.
"$nk" bench engine --pending 100,1000 --events 20000 --scheduler heap >"$tmp/b1" 2>"$tmp/b1e"
ok "bench engine heap exits 0" test $? -eq 0
ok "bench engine header" bash -c "head -1 '$tmp/b1' | grep -q \$'^scheduler\tpending\tevents\twall_s\tevents_per_s\trss_kb'"
ok "bench engine: one row per pending value" bash -c "[ \$(wc -l < '$tmp/b1') -eq 3 ]"
ok "bench engine: counted events equal --events" bash -c "awk -F'\t' 'NR>1 && \$3 != 20000 {bad=1} END {exit bad}' '$tmp/b1'"
"$nk" bench engine --pending 1000 --events 20000 >"$tmp/b2" 2>/dev/null
ok "bench engine all: a row per built scheduler" bash -c "grep -q '^heap' '$tmp/b2' && grep -q '^wheel' '$tmp/b2'"

echo "1..$n"
exit 0
