#!/usr/bin/env bash
# tests/test_cli.sh — the natkeep command line as users see it: exit
# statuses, one-line errors, --help/--version, and the benchmarks' TSV
# shapes (bench capacity: the same bytes on both engines).  TAP output.  Usage: test_cli.sh PATH/TO/natkeep
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
ok "--help shows bench capacity and --engine on run and sweep" bash -c "'$nk' --help >'$tmp/h' && grep -q 'natkeep bench capacity --flows N --hours H \[--engine native|ns3\]' '$tmp/h' && grep -q 'natkeep run .*--engine native|ns3' '$tmp/h' && grep -q 'natkeep sweep .*--engine native|ns3' '$tmp/h'"
ok "bench engine unknown --engine: exit 2" status 2 "$nk" bench engine --pending 10 --engine map
"$nk" bench engine --pending 1000 --events 20000 --engine native >"$tmp/b3" 2>/dev/null
ok "bench engine --engine native: the heap and wheel rows only" \
  bash -c "[ \"\$(tail -n +2 '$tmp/b3' | cut -f1 | tr '\n' ' ')\" = 'heap wheel ' ]"

# bench capacity: bad input, the TSV row, and the same bytes on both engines.
ok "bench capacity without --flows: exit 2" status 2 "$nk" bench capacity --hours 1
ok "bench capacity --hours 0: exit 2" status 2 "$nk" bench capacity --flows 10 --hours 0
ok "bench capacity unknown --engine: exit 2" status 2 "$nk" bench capacity --flows 10 --hours 1 --engine map
"$nk" bench capacity --flows 200 --hours 0.25 -o "$tmp/cap-native" --flows-tsv >"$tmp/c1" 2>"$tmp/c1e"
ok "bench capacity exits 0" test $? -eq 0
ok "bench capacity: header and one row" bash -c "head -1 '$tmp/c1' | grep -qx \$'flows\tsim_hours\tevents\twall_s\tevents_per_s\tflows_per_s\tbytes_per_flow\tpeak_rss_kb' && [ \$(wc -l < '$tmp/c1') -eq 2 ]"
ok "bench capacity: its events are points.tsv's" \
  bash -c "[ \"\$(awk -F'\t' 'NR == 2 { print \$3 }' '$tmp/c1')\" = \"\$(grep -v '^#' '$tmp/cap-native/points.tsv' | awk -F'\t' 'NR == 2 { print \$NF }')\" ]"
if "$nk" bench engine --pending 10 --events 100 --scheduler ns3 >/dev/null 2>&1; then
  "$nk" bench capacity --flows 200 --hours 0.25 -o "$tmp/cap-ns3" --flows-tsv --engine ns3 >/dev/null 2>&1
  ok "bench capacity --engine ns3 exits 0" test $? -eq 0
  ok "bench capacity --engine ns3: points.tsv identical to native" cmp "$tmp/cap-native/points.tsv" "$tmp/cap-ns3/points.tsv"
  ok "bench capacity --engine ns3: flows.tsv identical to native" cmp "$tmp/cap-native/flows.tsv" "$tmp/cap-ns3/flows.tsv"
  ok "bench capacity --engine ns3 --scheduler wheel: exit 2" status 2 "$nk" bench capacity --flows 10 --hours 1 --engine ns3 --scheduler wheel
  "$nk" bench engine --pending 1000 --events 20000 --engine ns3 >"$tmp/b4" 2>/dev/null
  ok "bench engine --engine ns3: the ns3 row only" bash -c "[ \"\$(tail -n +2 '$tmp/b4' | cut -f1 | tr '\n' ' ')\" = 'ns3 ' ]"
else
  ok "without ns-3: bench capacity --engine ns3 exits 2" status 2 "$nk" bench capacity --flows 10 --hours 1 --engine ns3
  ok "without ns-3: bench engine --engine ns3 exits 1" status 1 "$nk" bench engine --pending 10 --engine ns3
fi

# natkeep run: results, determinism, bad input, pcap, trace.
scen=$src/scenarios
ok "run default: exit 0" status 0 "$nk" run "$scen/default.ini" -o "$tmp/r1"
ok "run: points.tsv has # lines, a header and one row" bash -c "[ \$(grep -vc '^#' '$tmp/r1/points.tsv') -eq 2 ]"
ok "run: points.tsv header is DESIGN.md's" bash -c "grep -v '^#' '$tmp/r1/points.tsv' | head -1 | grep -qx \$'point\trep\tflows\talive\ttimeout\treset\tclosed\tstale\trefused\tsurvival\tprobes_client\tprobes_server\tkeepalive_bytes\tnat_peak_mappings\tevents'"
ok "run: flows.tsv header is DESIGN.md's" bash -c "grep -v '^#' '$tmp/r1/flows.tsv' | head -1 | grep -qx \$'point\trep\tflow\topened_at\tbroken_at\tclient_outcome\tclient_learned_at\tserver_outcome\tserver_learned_at\tclient_probes\tserver_probes\tpublic_port'"
ok "run: one flows.tsv row per flow (100)" bash -c "[ \$(grep -vc '^#' '$tmp/r1/flows.tsv') -eq 101 ]"
ok "run: # lines carry no wall time or scheduler" bash -c "! grep '^#' '$tmp/r1/points.tsv' | grep -Eiq 'wall|sched|thread|[0-9]{4}-[0-9]{2}-[0-9]{2}'"
"$nk" run "$scen/default.ini" -o "$tmp/r2" --scheduler heap >/dev/null 2>&1
ok "run twice (wheel, heap): identical points.tsv" cmp -s "$tmp/r1/points.tsv" "$tmp/r2/points.tsv"
ok "run twice (wheel, heap): identical flows.tsv" cmp -s "$tmp/r1/flows.tsv" "$tmp/r2/flows.tsv"
"$nk" run "$scen/default.ini" -o "$tmp/r3" --set scenario.seed=2 >/dev/null 2>&1
ok "another seed changes flows.tsv" bash -c "! cmp -s '$tmp/r1/flows.tsv' '$tmp/r3/flows.tsv'"
ok "run: the summary names the outcome" bash -c "'$nk' run '$scen/default.ini' -o '$tmp/r4' | grep -q '100 timeout'"

ok "run: bad --set value exits 2" status 2 "$nk" run "$scen/default.ini" -o "$tmp/bad1" --set scenario.flows=2x
ok "run: bad --set names the option in one line" bash -c "'$nk' run '$scen/default.ini' -o '$tmp/bad1' --set scenario.flows=2x 2>&1 >/dev/null | grep -c . | grep -qx 1 && '$nk' run '$scen/default.ini' -o '$tmp/bad1' --set scenario.flows=2x 2>&1 | grep -q '^--set scenario.flows: \[scenario\] flows:'"
ok "run: bad input writes nothing" test ! -e "$tmp/bad1"
printf '[scenario]\nduration = 1h\n[nat]\nestablished_timeout = 350x\n' > "$tmp/bad.ini"
ok "run: bad scenario value exits 2" status 2 "$nk" run "$tmp/bad.ini" -o "$tmp/bad2"
ok "run: bad scenario message is FILE:LINE: [group] key:" bash -c "'$nk' run '$tmp/bad.ini' -o '$tmp/bad2' 2>&1 | grep -q 'bad.ini:4: \[nat\] established_timeout:'"
ok "run: missing scenario file exits 2" status 2 "$nk" run "$tmp/nope.ini" -o "$tmp/bad3"

# --pcap: tcpdump reads both captures; the WAN side carries the public
# address; a keep-alive probe is a pure ACK with seq = snd_una - 1 (S4):
# with nothing sent after the handshake, snd_una - 1 is the SYN's seq.
"$nk" run "$scen/keepidle-below-nat.ini" -o "$tmp/p" --pcap --trace \
  --set scenario.flows=1 --set scenario.duration=400s >/dev/null 2>&1
ok "run --pcap writes lan.pcap and wan.pcap" test -s "$tmp/p/lan.pcap" -a -s "$tmp/p/wan.pcap"
if command -v tcpdump >/dev/null; then
  iss=$(tcpdump -S -nn -r "$tmp/p/lan.pcap" 2>/dev/null | grep 'Flags \[S\],' | head -1 | sed 's/.*seq \([0-9]*\).*/\1/')
  ok "tcpdump reads lan.pcap" bash -c "tcpdump -nn -r '$tmp/p/lan.pcap' 2>/dev/null | grep -q '10.0.0.2'"
  ok "wan.pcap carries the translated address" bash -c "tcpdump -nn -r '$tmp/p/wan.pcap' 2>/dev/null | grep -q '203.0.113.1.[0-9]* > 198.51.100.1.443'"
  ok "wan.pcap: no private address leaks" bash -c "! tcpdump -nn -r '$tmp/p/wan.pcap' 2>/dev/null | grep -q '10\.0\.0\.'"
  ok "wan.pcap: checksums correct" bash -c "! tcpdump -nn -vv -r '$tmp/p/wan.pcap' 2>/dev/null | grep -qi 'incorrect'"
  ok "wan.pcap: the probe at 300.043 s has seq = snd_una - 1, length 0" bash -c "tcpdump -S -nn -r '$tmp/p/wan.pcap' 'tcp[13] = 0x10 and tcp[4:4] = $iss and src host 203.0.113.1' 2>/dev/null | grep -q '^00:05:00.043000 .*length 0'"
else
  for i in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP tcpdump not installed"; done
fi
ok "run --trace writes a timeline of flow 0" bash -c "grep -q 'mapping created' '$tmp/p/trace.txt' && grep -q '^300.04' '$tmp/p/trace.txt'"

echo "1..$n"
exit 0
