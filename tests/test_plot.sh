#!/usr/bin/env bash
# tests/test_plot.sh — plots, `natkeep advise` and the scenario library, as
# users see them: which files a results directory gets, that every gnuplot
# script reads and writes only files of its own directory (so users can
# re-render it there), advise's answer on the S21 boundary and its check by
# simulation, and that every what-if scenario runs.  TAP output.
# Usage: test_plot.sh PATH/TO/natkeep
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
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
status () {   # status EXPECTED COMMAND... : exit status equals EXPECTED
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || { echo "# exit $got, expected $want: $*" >&2; cat "$tmp/err" >&2; return 1; }
}
have () { for f in "$@"; do [ -s "$f" ] || { echo "# missing $f" >&2; return 1; }; done; }
# Every quoted name a script uses is a plain file name (no directory part);
# the ones it reads exist next to it.
local_only () {
  local dir=$1 gp
  for gp in "$dir"/*.gp; do
    grep -Eo "'[^' ]+\.(tsv|png|svg|txt)'" "$gp" | tr -d "'" | sort -u | while read -r f; do
      case $f in */*) echo "# $gp names $f outside its directory" >&2; exit 1 ;; esac
      case $f in *.tsv|*.txt) [ -s "$dir/$f" ] || { echo "# $gp reads missing $f" >&2; exit 1; } ;; esac
    done || return 1
  done
}
gnuplot_here=0
command -v gnuplot >/dev/null && gnuplot_here=1

# --- one run with a trace --------------------------------------------------
run=$tmp/run
ok "run --trace of default.ini (20 flows) succeeds" \
   status 0 "$nk" run "$src/scenarios/default.ini" --set scenario.flows=20 -o "$run" --trace
ok "natkeep plot on the run directory succeeds" status 0 "$nk" plot "$run"
ok "run: timeline, detection-delay and trace scripts and tables" \
   have "$run"/timeline.{gp,tsv} "$run"/detection-delay.{gp,tsv} "$run"/trace.{gp,tsv}
if [ $gnuplot_here = 1 ]; then
  ok "run: PNG and SVG of every plot" \
     have "$run"/timeline.{png,svg} "$run"/detection-delay.{png,svg} "$run"/trace.{png,svg}
else
  skip "run: PNG and SVG of every plot" "gnuplot not installed"
fi
ok "run: scripts use only files of the directory" local_only "$run"
ok "run: titles name the scenario" grep -q "set title 'default:" "$run/trace.gp"
# default.ini: learned at t0 + 7875.042 s, broken at t0 + 350.043 s.
ok "detection delay: the client's delay is 7524.999 s" grep -q '^7524\.999000' "$run/detection-delay.tsv"
ok "trace: probes and the mapping's lifetime are in the table" \
   bash -c "grep -q 'keep-alive probe' '$run/trace.gp' && grep -q 'NAT mapping alive' '$run/trace.gp'"

# --- a hand-made sweep: keepidle x NAT timeout, 2 repetitions -------------
sw=$tmp/sweep
mkdir -p "$sw"
{
  printf '# natkeep 0.1.0\n# scenario hand-sweep.ini\n# seed 1\n'
  printf 'point\trep\tclient.keepidle\tnat.established_timeout\tflows\talive\ttimeout\treset\tclosed\tstale\trefused\tsurvival\tprobes_client\tprobes_server\tkeepalive_bytes\tnat_peak_mappings\tevents\n'
  p=0
  for k in 30s 1m 5m 10m; do
    for t in 60s 350s 20m 2h4m; do
      for r in 0 1; do
        ks=$(echo "$k" | sed 's/s$//; s/^\([0-9]*\)m$/\1*60/' | bc)
        ts=$(echo "$t" | sed 's/2h4m/7440/; s/s$//; s/^\([0-9]*\)m$/\1*60/' | bc)
        if [ "$ks" -lt "$ts" ]; then a=10; else a=$r; fi
        printf '%d\t%d\t%s\t%s\t10\t%d\t%d\t0\t0\t0\t0\t%.6f\t0\t0\t0\t10\t100\n' \
               $p $r "$k" "$t" $a $((10 - a)) "$(echo "$a / 10" | bc -l)"
      done
      p=$((p + 1))
    done
  done
} >"$sw/points.tsv"
ok "natkeep plot on a sweep directory succeeds" status 0 "$nk" plot "$sw"
ok "sweep: survival per key and the heat map (scripts and tables)" \
   have "$sw"/survival-client.keepidle.{gp,tsv} "$sw"/survival-nat.established_timeout.{gp,tsv} \
        "$sw"/heatmap.{gp,tsv}
if [ $gnuplot_here = 1 ]; then
  ok "sweep: PNG and SVG" have "$sw"/survival-client.keepidle.{png,svg} "$sw"/heatmap.{png,svg}
else
  skip "sweep: PNG and SVG" "gnuplot not installed"
fi
ok "sweep: scripts use only files of the directory" local_only "$sw"
ok "sweep: no timeline of mixed points" test ! -e "$sw/timeline.gp"
ok "sweep: durations in seconds on log axes" \
   bash -c "grep -q 'set logscale x' '$sw/heatmap.gp' && grep -q 'set logscale y' '$sw/heatmap.gp' && grep -q 'client.keepidle (s)' '$sw/heatmap.gp'"
ok "sweep: the heat map draws the S21 boundary keepidle = T" grep -q 'client.keepidle = T' "$sw/heatmap.gp"
# Mean over the two repetitions: keepidle 5m vs T 60s has alive 0 and 1 -> 0.05.
ok "sweep: survival is the mean over repetitions" \
   bash -c "grep -P '^300\t5m\t0\.050000\t1\.000000\t1\.000000\t1\.000000$' '$sw/survival-client.keepidle.tsv' >/dev/null"
ok "sweep: 2h4m is read as 7440 s" grep -q '^7440	2h4m' "$sw/survival-nat.established_timeout.tsv"

mkdir -p "$tmp/empty"
ok "plot on a directory without points.tsv: exit 2" status 2 "$nk" plot "$tmp/empty"
ok "plot without a directory: exit 2" status 2 "$nk" plot

# --- advise ----------------------------------------------------------------
cat >"$tmp/nat350.ini" <<'EOF'
[scenario]
duration = 1h
flows = 20
open = uniform 0s 1m
[client]
keepalive = on
[app]
pattern = idle
[nat]
established_timeout = 350s
loose = off
invalid = drop
[link.lan]
delay = 1ms
[link.wan]
delay = 20ms
EOF
ok "advise on a 350 s NAT: exit 0" status 0 "$nk" advise "$tmp/nat350.ini"
cp "$tmp/out" "$tmp/advise"
# S21: the NAT sees keepidle + RTT(client <-> NAT) = keepidle + 2 * 1 ms;
# the largest whole second with s + 0.002 < 350 is 349 (350.002 is not).
ok "advise: client keepidle 349 s (349 + 0.002 < 350)" grep -q '^client keepidle: 349 s$' "$tmp/advise"
ok "advise: the reasoning names S21" grep -q 'S21' "$tmp/advise"
ok "advise: cost per hour, per flow and for all flows" \
   bash -c "grep -q 'probes/h per flow' '$tmp/advise' && grep -q 'for all 20 flows' '$tmp/advise'"
ok "advise: verified by simulation, N/N flows alive" grep -Eq '^verified: 20/20 flows alive' "$tmp/advise"
ok "advise: one second more crosses the S21 boundary" \
   grep -Eq '^one second more, client.keepidle = 350s .*: 0/20 flows alive' "$tmp/advise"
ok "advise --set nat.refresh=data: keep-alive cannot keep the entry" \
   bash -c "'$nk' advise '$tmp/nat350.ini' --set nat.refresh=data | grep -q 'cannot keep this entry'"
ok "advise --set nat.refresh=data: recommends application traffic" \
   bash -c "'$nk' advise '$tmp/nat350.ini' --set nat.refresh=data | grep -q 'application-level traffic'"
# The server's gap is keepidle + RTT(server <-> NAT) = s + 0.040 < 350: 349.
ok "advise with server keep-alive answers for the server too" \
   bash -c "'$nk' advise '$tmp/nat350.ini' --set server.keepalive=on | grep -q '^server keepidle: 349 s'"
# SEMANTICS §7 at HZ 1000: keepidle s = 317..349 s is 317 000..349 000
# jiffies, wheel level 5 (258 048 .. 2 064 383), granularity 32 768 jiffies
# = 32.768 s, so the tick after an answer may fire that late: the largest
# s with s + 32.768 + 0.002 < 350 is 317 (318 + 32.770 = 350.770).
ok "advise with client.timer_hz=1000: keepidle 317 s (317 + 32.768 + 0.002 < 350)" \
   bash -c "'$nk' advise '$tmp/nat350.ini' --set client.timer_hz=1000 | grep -q '^client keepidle: 317 s$'"
ok "advise with client.timer_hz=1000: verified by simulation" \
   bash -c "'$nk' advise '$tmp/nat350.ini' --set client.timer_hz=1000 | grep -Eq '^verified: 20/20 flows alive'"
ok "advise on a missing file: exit 2" status 2 "$nk" advise "$tmp/nope.ini"
ok "advise with a bad --set: exit 2" status 2 "$nk" advise "$tmp/nat350.ini" --set nat.frobnicate=1
ok "advise without a scenario: exit 2" status 2 "$nk" advise

# --- the what-if library ---------------------------------------------------
for s in aws-nat-linux-defaults gcp-cloud-nat-linux-defaults azure-lb-silent azure-lb-reset \
         home-cpe-conntrack mobile-carrier db-pool-asa go-client-defaults \
         node-client-keepalive java-client-defaults keepidle-nat-heatmap \
         nat-capacity-sweep alb-keepalive-ignored kernel-timers-rfc5382; do
  f=$src/scenarios/$s.ini
  ok "scenarios/$s.ini: check" status 0 "$nk" check "$f"
  ok "scenarios/$s.ini: run" status 0 "$nk" run "$f" -o "$tmp/lib-$s"
  ok "scenarios/$s.ini: header states question, expectation and how to run" \
     bash -c "grep -q '^# Question' '$f' && grep -q '^# Expected' '$f' && grep -q '^# Run:' '$f'"
done
# Two expectations from the headers, checked end to end.
ok "aws-nat-linux-defaults: every client reset, none alive" \
   bash -c "grep -P '^0\t0\t200\t0\t0\t200\t' '$tmp/lib-aws-nat-linux-defaults/points.tsv' >/dev/null"
ok "go-client-defaults: 239 probes per flow, 1912000 keep-alive bytes" \
   bash -c "grep -P '^0\t0\t100\t100\t.*\t23900\t0\t1912000\t' '$tmp/lib-go-client-defaults/points.tsv' >/dev/null"

# kernel-timers-rfc5382: ideal timers and HZ 250 keep all 1000 flows; at
# HZ 1000 about 8 % die (the header's (262.144 - 240) / 262.144).
ok "kernel-timers-rfc5382: sweep over client.timer_hz" \
   status 0 "$nk" sweep "$src/scenarios/kernel-timers-rfc5382.ini" -o "$tmp/ktr" --quiet
ok "kernel-timers-rfc5382: timer_hz 0 and 250 keep every flow" \
   bash -c "grep -P '^0\t0\t0\t1000\t1000\t' '$tmp/ktr/points.tsv' >/dev/null &&
            grep -P '^1\t0\t250\t1000\t1000\t' '$tmp/ktr/points.tsv' >/dev/null"
ok "kernel-timers-rfc5382: timer_hz 1000 loses 5-12 % of 1000 flows (binomial, 8.4 % +- 3 sd)" \
   awk -F'\t' '$1 == 2 { dead = $4 - $5; exit !(dead >= 50 && dead <= 120) }' "$tmp/ktr/points.tsv"

echo "1..$n"
[ "$fail" -eq 0 ]
