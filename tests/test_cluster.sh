#!/usr/bin/env bash
# tests/test_cluster.sh — a sweep spread over processes the way
# docs/cluster.md shows it: shards run by GNU parallel and by Open MPI's
# mpirun (examples/mpi-shard.sh, 2 local ranks), joined by `natkeep merge`,
# must give the bytes of one single-process `natkeep sweep`.  A missing
# parallel or mpirun is a SKIP naming the package; an mpirun that is there
# but cannot start its ranks is a failure.  TAP output.
# Usage: test_cluster.sh PATH/TO/natkeep [PATH/TO/examples/mpi-shard.sh]
set -u
nk=$(realpath "$1")
wrapper=$(realpath "${2:-$(dirname "$(realpath "$0")")/../examples/mpi-shard.sh}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
n=0
ok () {   # ok DESCRIPTION COMMAND...
  n=$((n + 1))
  local d=$1; shift
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fi
}
skip () {   # skip REASON DESCRIPTION...: one SKIP line per description
  local why=$1; shift
  for d in "$@"; do n=$((n + 1)); echo "ok $n - $d # SKIP $why"; done
}
status () {   # status EXPECTED COMMAND... : exit status equals EXPECTED
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  [ "$got" -eq "$want" ] || { echo "# exit $got, expected $want: $*" >&2; sed 's/^/#   /' "$tmp/err" >&2; return 1; }
}
same () {   # same DIR1 DIR2 FILE...: byte-identical files
  local a=$1 b=$2; shift 2
  for f in "$@"; do cmp -s "$a/$f" "$b/$f" || { echo "# $a/$f differs from $b/$f" >&2; return 1; }; done
}
# Plots are not under test here; the shards run by parallel and mpirun
# draw theirs (a fraction of a second each with this small sweep).
nkq () { PATH=/nonexistent "$nk" "$@"; }

points=9
own_points () {   # own_points DIR I N: DIR's rows are exactly the points p = I mod N, every rep
  local dir=$1 i=$2 k=$3 want="" p got
  for p in $(seq 0 $((points - 1))); do
    [ $((p % k)) -eq "$i" ] && want="$want$p 0,$p 1,"
  done
  got=$(grep -v '^#' "$dir/points.tsv" | tail -n +2 | cut -f1,2 | tr '\t\n' ' ,')
  [ "$got" = "$want" ] || { echo "# $dir/points.tsv rows: '$got', expected '$want'" >&2; return 1; }
  got=$(grep -v '^#' "$dir/flows.tsv" | tail -n +2 | cut -f1,2 | uniq | tr '\t\n' ' ,')
  [ "$got" = "$want" ] || { echo "# $dir/flows.tsv rows: '$got', expected '$want'" >&2; return 1; }
}
merge_both_ways () {   # merge_both_ways OUTPREFIX SHARD...: merge in the given and the reverse order
  local out=$1; shift
  local rev=() s
  for s in "$@"; do rev=("$s" "${rev[@]}"); done
  status 0 nkq merge "$out" "$@" && status 0 nkq merge "$out-rev" "${rev[@]}" \
    && same "$out" "$out-rev" points.tsv flows.tsv
}

# 3 x 3 = 9 points, 2 repetitions, 30 flows each: well under a second.
cat > s.ini <<'EOF'
[scenario]
duration = 1h
flows = 30
open = uniform 0s 1m
[client]
keepalive = on
[nat]
established_timeout = 350s
[sweep]
client.keepidle = 60s, 300s, 600s
nat.established_timeout = 120s, 350s, 1200s
repeat = 2
EOF

ok "reference: single-process sweep exits 0" status 0 nkq sweep s.ini -o ref -q --flows
ok "reference holds all $points points" own_points ref 0 1

# GNU parallel: three shards as three local processes.
par_checks=("GNU parallel: 3 shards exit 0"
            "GNU parallel: shard 0/3 holds only points 0, 3, 6"
            "GNU parallel: shard 1/3 holds only points 1, 4, 7"
            "GNU parallel: shard 2/3 holds only points 2, 5, 8"
            "GNU parallel: merge exits 0, either order, same bytes"
            "GNU parallel: merged points.tsv and flows.tsv identical to the single-process sweep")
if ! command -v parallel >/dev/null 2>&1; then
  skip "GNU parallel not installed (apt-get install parallel)" "${par_checks[@]}"
elif ! parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
  skip "$(command -v parallel) is not GNU parallel (moreutils'?): apt-get install parallel" "${par_checks[@]}"
else
  # --will-cite: no citation notice.  Exit status: the number of failed jobs.
  ok "${par_checks[0]}" status 0 parallel --will-cite -j 3 \
    "$nk" sweep s.ini -o par/shard-{} --shard {}/3 --flows --quiet ::: 0 1 2
  for i in 0 1 2; do ok "${par_checks[$((i + 1))]}" own_points par/shard-$i $i 3; done
  ok "${par_checks[4]}" merge_both_ways par/all par/shard-0 par/shard-1 par/shard-2
  ok "${par_checks[5]}" same ref par/all points.tsv flows.tsv
fi

# The MPI wrapper outside mpirun: a clear refusal, nothing written.
ok "mpi-shard.sh is executable" test -x "$wrapper"
ok "mpi-shard.sh without Open MPI's variables: exit 2" \
  status 2 env -u OMPI_COMM_WORLD_RANK -u OMPI_COMM_WORLD_SIZE "$wrapper" "$nk" s.ini nompi
ok "mpi-shard.sh without Open MPI's variables: says so, writes nothing" \
  bash -c "grep -q 'OMPI_COMM_WORLD_RANK.*mpirun' '$tmp/err' && [ ! -e nompi ]"
ok "mpi-shard.sh with too few arguments: exit 2" \
  status 2 env OMPI_COMM_WORLD_RANK=0 OMPI_COMM_WORLD_SIZE=1 "$wrapper" "$nk" s.ini
ok "mpi-shard.sh with too few arguments: usage line" grep -q '^usage: mpirun -np N .* NATKEEP SCENARIO.ini OUTDIR' "$tmp/err"

# Open MPI: two local ranks, each running its shard through the wrapper.
mpi_checks=("mpirun -np 2: both ranks exit 0"
            "mpirun: rank 0 holds only even points"
            "mpirun: rank 1 holds only odd points"
            "mpirun: merge exits 0, either order, same bytes"
            "mpirun: merged points.tsv and flows.tsv identical to the single-process sweep")
if ! command -v mpirun >/dev/null 2>&1; then
  skip "mpirun not found (apt-get install openmpi-bin)" "${mpi_checks[@]}"
elif ! mpirun --version 2>&1 | grep -q 'Open MPI'; then
  skip "$(command -v mpirun) is not Open MPI's (apt-get install openmpi-bin)" "${mpi_checks[@]}"
else
  # Open MPI refuses to run as root (CI containers) unless told twice.
  [ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  # --oversubscribe: slots default to physical cores; a 1-core runner would refuse -np 2.
  # --mca plm isolated: start the ranks on this host only, without ssh or
  #   srun (even inside a batch allocation): the temporary directory is local.
  # timeout: a hung launch fails here instead of at meson's timeout.
  mpirun_cmd=(timeout 120 mpirun --oversubscribe --mca plm isolated -np 2
              "$wrapper" "$nk" s.ini mpi --flows -j 1)
  "${mpirun_cmd[@]}" </dev/null >mpi.out 2>mpi.err
  rc=$?
  if [ $rc -ne 0 ]; then
    {
      [ $rc -eq 124 ] && echo "# mpirun did not finish within 120 s" \
                      || echo "# mpirun exited $rc: Open MPI could not start the ranks here, or a rank failed"
      echo "# command: ${mpirun_cmd[*]}"
      sed 's/^/#   /' mpi.err mpi.out
    } >&2
  fi
  ok "${mpi_checks[0]}" test $rc -eq 0
  ok "${mpi_checks[1]}" own_points mpi/shard-0 0 2
  ok "${mpi_checks[2]}" own_points mpi/shard-1 1 2
  ok "${mpi_checks[3]}" merge_both_ways mpi/all mpi/shard-0 mpi/shard-1
  ok "${mpi_checks[4]}" same ref mpi/all points.tsv flows.tsv
fi

echo "1..$n"
exit 0
