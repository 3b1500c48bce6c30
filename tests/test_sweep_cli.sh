#!/usr/bin/env bash
# tests/test_sweep_cli.sh — `natkeep sweep` and `natkeep merge` as users and
# clusters see them: the same bytes for any -j, after kill -9 and --resume,
# and from merged shards; bad input exits 2 with one line and writes
# nothing.  TAP output.  Usage: test_sweep_cli.sh PATH/TO/natkeep
set -u
nk=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
n=0
ok () {   # ok DESCRIPTION COMMAND...
  n=$((n + 1))
  local d=$1; shift
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fi
}
status () {   # status EXPECTED COMMAND... : exit status equals EXPECTED
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || { echo "# exit $got, expected $want: $*" >&2; cat "$tmp/err" >&2; return 1; }
}
same () {   # same DIR1 DIR2 FILE...: byte-identical files
  local a=$1 b=$2; shift 2
  for f in "$@"; do cmp -s "$a/$f" "$b/$f" || { echo "# $a/$f differs from $b/$f" >&2; return 1; }; done
}
# Plots are not under test here and gnuplot costs a second per sweep.
nkq () { PATH=/nonexistent "$nk" "$@"; }

cat > s.ini <<'EOF'
[scenario]
duration = 1h
flows = 20
open = uniform 0s 1m
[client]
keepalive = on
[nat]
established_timeout = 350s
[sweep]
client.keepidle = 60s, 300s, 600s, 7200s
nat.established_timeout = 120s, 350s, 1200s
repeat = 2
EOF

# (a) -j does not change a byte
ok "sweep -j1 exits 0" status 0 nkq sweep s.ini -o j1 -j1 --flows --quiet
cp out j1.stdout
ok "sweep -j2 exits 0" status 0 nkq sweep s.ini -o j2 -j 2 --flows --quiet
ok "sweep -j3 exits 0" status 0 nkq sweep s.ini -o j3 -j3 --quiet
ok "-j1 and -j2: identical points.tsv and flows.tsv" same j1 j2 points.tsv flows.tsv
ok "-j3 without --flows: identical points.tsv, no flows.tsv" \
  bash -c "cmp -s j1/points.tsv j3/points.tsv && [ ! -e j3/flows.tsv ]"
ok "one row per (point, rep) in order" \
  bash -c "[ \"\$(grep -v '^#' j1/points.tsv | tail -n +2 | cut -f1,2 | tr '\t' ' ' | tr '\n' ,)\" = \"\$(for p in \$(seq 0 11); do echo -n \"\$p 0,\$p 1,\"; done)\" ]"
ok "flows.tsv: 20 rows per unit" bash -c "[ \$(grep -vc '^#' j1/flows.tsv) -eq \$((24 * 20 + 1)) ]"
ok "summary: a line per point with its swept values" \
  bash -c "grep -q '^point 3 (client.keepidle=300s nat.established_timeout=120s): [0-9]*/40 alive' j1.stdout"
ok "no gnuplot: the install hint, once" bash -c "[ \$(grep -c 'gnuplot not found' '$tmp/err') -eq 1 ]"

# (g) the progress line: on a terminal only, and not with --quiet
if command -v script >/dev/null 2>&1; then
  script -qec "PATH=/nonexistent '$nk' sweep s.ini -o tty -j2 2>&1 >/dev/null" /dev/null > tty.out 2>&1
  progress_ok () {   # a self-updating line, ending "ETA 00:00" and a newline
    grep -aq $'\r\\[ *[0-9]*/24 runs\\] [0-9]* flows/s, [0-9:]* elapsed, ETA' tty.out \
      && grep -aq $'\\[24/24 runs\\] .*ETA 00:00 *\r$' tty.out
  }
  ok "progress line on a tty, final newline" progress_ok
  script -qec "PATH=/nonexistent '$nk' sweep s.ini -o tty -j2 --quiet 2>&1 >/dev/null" /dev/null > ttyq.out 2>&1
  ok "no progress line with --quiet" bash -c "! grep -q 'flows/s' ttyq.out"
else
  ok "progress line on a tty # SKIP no script(1)" true
  ok "no progress line with --quiet # SKIP no script(1)" true
fi
ok "no progress line when stderr is not a tty" bash -c "! grep -q 'flows/s' '$tmp/err'"

# (e)(f) "#" lines and header
ok "# lines: version, scenario, seed only" \
  bash -c "[ \"\$(grep '^#' j2/points.tsv)\" = \"\$(printf '# natkeep %s\n# scenario s.ini\n# seed 1' \$('$nk' --version | cut -d' ' -f2))\" ]"
ok "# lines never name -j, shard or threads" bash -c "! grep -Eiq '^#.*(-j|shard|thread|jobs)' j2/points.tsv j2/flows.tsv"
ok "header: point rep, swept keys in [sweep] order, standard columns" \
  bash -c "grep -v '^#' j1/points.tsv | head -1 | grep -q \$'^point\trep\tclient.keepidle\tnat.established_timeout\tflows\talive\ttimeout\treset\tclosed\tstale\trefused\tsurvival\tprobes_client\tprobes_server\tkeepalive_bytes\tnat_peak_mappings\tevents\$'"
ok "run.log holds threads and shard" bash -c "grep -q \$'^threads\t2' j2/run.log && grep -q \$'^shard\t0/1' j2/run.log"
ok "--set goes into the # lines" status 0 nkq sweep s.ini -o set -q --set client.keepcnt=3
ok "--set line" grep -qx '# set client.keepcnt=3' set/points.tsv

# (c) shards and merge
ok "shard 0/2" status 0 nkq sweep s.ini -o sh0 -j2 -q --flows --shard 0/2
ok "shard 0/2 holds only even points" bash -c "grep -v '^#' sh0/points.tsv | tail -n +2 | cut -f1 | awk '\$1 % 2 {bad=1} END {exit bad}'"
ok "shard 1/2" status 0 nkq sweep s.ini -o sh1 -j1 -q --flows --shard 1/2
ok "merge exits 0" status 0 nkq merge all sh1 sh0
ok "merged shards: identical points.tsv and flows.tsv" same j1 all points.tsv flows.tsv
for i in 0 1 2; do nkq sweep s.ini -o t3-$i -q --shard $i/3 >/dev/null 2>&1; done
ok "three shards merge to the same points.tsv" \
  bash -c "PATH=/nonexistent:\$PATH '$nk' merge all3 t3-2 t3-0 t3-1 >/dev/null 2>&1 && cmp -s j1/points.tsv all3/points.tsv"
ok "merge with a shard missing: exit 2" status 2 nkq merge miss sh0
ok "merge with a shard missing: names the point, one line" \
  bash -c "grep -q 'point 1 missing' '$tmp/err' && [ \$(wc -l < '$tmp/err') -eq 1 ] && [ ! -e miss ]"
ok "merge with a shard twice: exit 2" status 2 nkq merge dup sh0 sh1 sh0
ok "merge of different sweeps: exit 2 naming the file" status 2 nkq merge mix sh0 set
ok "merge mismatch message" grep -q 'set/points.tsv' "$tmp/err"

# (d) bad input: exit 2, one line, nothing written
ok "bad --set: exit 2" status 2 nkq sweep s.ini -o bad1 --set client.keepcnt=banana
ok "bad --set: one line, no DIR" bash -c "[ \$(wc -l < '$tmp/err') -eq 1 ] && [ ! -e bad1 ]"
ok "--set of a swept key: exit 2" status 2 nkq sweep s.ini -o bad2 --set client.keepidle=5s
ok "--set of a swept key: one line, no DIR" \
  bash -c "grep -q 'key is swept' '$tmp/err' && [ \$(wc -l < '$tmp/err') -eq 1 ] && [ ! -e bad2 ]"
sed 's/600s, 7200s/600s, 7200x/' s.ini > badv.ini
ok "bad swept value: exit 2" status 2 nkq sweep badv.ini -o bad3
ok "bad swept value: reported at its [sweep] line, no DIR" \
  bash -c "grep -q '^badv.ini:10: \[client\] keepidle:' '$tmp/err' && [ \$(wc -l < '$tmp/err') -eq 1 ] && [ ! -e bad3 ]"
ok "bad --shard: exit 2" status 2 nkq sweep s.ini -o bad4 --shard 2/2
ok "-j 0: exit 2" status 2 nkq sweep s.ini -o bad5 -j 0
ok "bad input wrote nothing" bash -c "[ ! -e bad4 ] && [ ! -e bad5 ]"

# (b) kill -9 in the middle, then --resume
cat > big.ini <<'EOF'
[scenario]
duration = 1h
flows = 1500
open = uniform 0s 1m
[client]
keepalive = on
[sweep]
client.keepidle = 60s .. 600s step 60s
nat.established_timeout = 120s, 350s, 1200s, 7440s
EOF
ok "big sweep, uninterrupted" status 0 nkq sweep big.ini -o ref -j2 -q --flows
PATH=/nonexistent "$nk" sweep big.ini -o killed -j2 -q --flows >/dev/null 2>&1 &
pid=$!
rows=0
for _ in $(seq 300); do
  sleep 0.05
  rows=$(grep -vc '^#' killed/points.tsv 2>/dev/null)
  [ "${rows:-0}" -ge 4 ] && break
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
rows=$(grep -vc '^#' killed/points.tsv)
echo "# killed with $((rows - 1)) of 40 points written"
ok "killed mid-sweep (some rows, not all)" bash -c "[ $rows -gt 1 ] && [ $rows -lt 41 ] && [ ! -e killed/run.log ]"
ok "--resume after kill -9 exits 0" status 0 nkq sweep big.ini -o killed -j2 -q --flows --resume
ok "--resume: identical bytes to the uninterrupted sweep" same ref killed points.tsv flows.tsv
ok "--resume on a finished sweep exits 0" status 0 nkq sweep big.ini -o killed -j1 -q --flows --resume
ok "--resume on a finished sweep: a no-op" same ref killed points.tsv flows.tsv
ok "run.log counts resumed units" grep -q $'^resumed_units\t40' killed/run.log

# A crash between writes: points.tsv and flows.tsv both end mid-row.
mkdir cut
head -c $(( $(stat -c %s j1/points.tsv) - 30 )) j1/points.tsv > cut/points.tsv
head -c $(( $(stat -c %s j1/flows.tsv) - 1000 )) j1/flows.tsv > cut/flows.tsv
ok "--resume after partial rows exits 0" status 0 nkq sweep s.ini -o cut -j2 -q --flows --resume
ok "--resume after partial rows: identical bytes" same j1 cut points.tsv flows.tsv
cp j1/points.tsv before.tsv
ok "--resume with other --set: exit 2" status 2 nkq sweep s.ini -o j1 -q --flows --resume --set client.keepcnt=3
ok "--resume with other --set: one line, file untouched" \
  bash -c "grep -q 'different scenario or options' '$tmp/err' && [ \$(wc -l < '$tmp/err') -eq 1 ] && cmp -s before.tsv j1/points.tsv"
ok "--resume of a shard as another shard: exit 2" status 2 nkq sweep s.ini -o sh0 -q --flows --resume --shard 1/2
ok "merge of an unfinished shard: exit 2" \
  bash -c "head -c -5 sh1/points.tsv > p && mv p sh1/points.tsv && PATH=/nonexistent '$nk' merge part sh0 sh1 >/dev/null 2>&1; [ \$? -eq 2 ]"

echo "1..$n"
exit 0
