#!/usr/bin/env bash
# tests/test_ns3_example.sh — examples/ns3-keepalive runs and reads back
# natkeep's outcomes from inside an ns-3 simulation.  Two runs whose answer
# is known by hand: keepidle 300 s under a 350 s NAT timeout keeps all 20
# flows alive; keepidle 400 s lets every mapping expire, the client's 3
# probes 30 s apart are dropped (loose = off) and every flow times out.
# The ns-3 half must also have run on the same clock: 30 min with one echo
# every 10 s from t = 1 s is 180 echoes.  TAP output.
# Sharing ns-3's clock with ns-3's own events must not change natkeep's
# answer: the counts equal `natkeep run` of the same INI (native engine).
# Usage: test_ns3_example.sh PATH/TO/ns3-keepalive PATH/TO/natkeep
set -u
ex=$1
nk=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () {
  n=$((n + 1))
  local d=$1; shift
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
"$ex" --flows=20 --keepidle=300 --natTimeout=350 --minutes=30 >"$tmp/a" 2>"$tmp/ae"
ok "example runs (keepidle below the NAT timeout)" test $? -eq 0
sed 's/^/# /' "$tmp/a" "$tmp/ae"
ok "all 20 flows alive" grep -q "^natkeep: 20 flows, alive 20, timeout 0," "$tmp/a"
ok "ns-3 ran to the same end: 180 echoes at t=1800 s" \
  grep -qx "ns-3 study: t=1800 s, 180 UDP echoes received by the client" "$tmp/a"
ok "an ns-3 event saw natkeep's events mid-run" grep -q "^t=   600 s  natkeep events fired so far: [1-9]" "$tmp/a"
ok "inside an ns-3 event sim_now () is Simulator::Now ()" \
  bash -c "grep -c '; sim_now == Simulator::Now\$' '$tmp/a' | grep -qx 2 && ! grep -q 'sim_now !=' '$tmp/a'"
"$ex" --flows=20 --keepidle=400 --natTimeout=350 --minutes=30 >"$tmp/b" 2>"$tmp/be"
ok "example runs (keepidle above the NAT timeout)" test $? -eq 0
sed 's/^/# /' "$tmp/b" "$tmp/be"
ok "all 20 flows time out" grep -q "^natkeep: 20 flows, alive 0, timeout 20," "$tmp/b"
ok "flow 0: client timeout by keepalive" grep -q "^natkeep flow 0: client timeout (keepalive)" "$tmp/b"
# The same scenario the example builds (see its g_strdup_printf).
printf '%s\n' '[scenario]' 'name = ns3-study' 'duration = 30m' 'flows = 20' \
  'open = uniform 0s 60s' '[client]' 'keepalive = on' 'keepidle = 300s' \
  'keepintvl = 30s' 'keepcnt = 3' '[app]' 'pattern = idle' '[nat]' \
  'established_timeout = 350s' 'loose = off' >"$tmp/study.ini"
"$nk" run "$tmp/study.ini" -o "$tmp/native" --engine native >/dev/null 2>&1
# points.tsv columns: flows alive timeout ... keepalive_bytes nat_peak_mappings events
want=$(awk -F'\t' '/^#/ || $1 == "point" { if ($1 == "point") for (i = 1; i <= NF; i++) c[$i] = i; next }
  { printf "natkeep: %d flows, alive %d, timeout %d, reset %d, stale %d; %d keep-alive bytes; NAT peak %d mappings; %d events",
      $c["flows"], $c["alive"], $c["timeout"], $c["reset"], $c["stale"], $c["keepalive_bytes"],
      $c["nat_peak_mappings"], $c["events"] }' "$tmp/native/points.tsv")
echo "# native: $want"
ok "inside ns-3 natkeep gives the native engine's counts and events" grep -qxF "$want" "$tmp/a"
echo "1..$n"
exit $((fail > 0))
