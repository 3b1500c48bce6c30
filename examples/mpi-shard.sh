#!/bin/sh
# examples/mpi-shard.sh — one Open MPI rank's share of a natkeep sweep.
#
#   mpirun -np N examples/mpi-shard.sh NATKEEP SCENARIO.ini OUTDIR [SWEEP OPTION]...
#
# Rank R of N runs `NATKEEP sweep SCENARIO.ini --shard R/N` into
# OUTDIR/shard-R; once mpirun returns, join the shards with
#
#   NATKEEP merge OUTDIR/all OUTDIR/shard-*
#
# The merged points.tsv and flows.tsv are byte-identical to a single-process
# `natkeep sweep` (docs/cluster.md; tests/test_cluster.sh checks it).
# natkeep links no MPI library: mpirun only starts the processes and hands
# each its rank in OMPI_COMM_WORLD_RANK and OMPI_COMM_WORLD_SIZE.  Extra
# arguments go to `natkeep sweep` (--flows, -j N, --set, --resume, ...).
# OUTDIR must be the same path on every node (a shared file system), or
# gather the shard directories before merging.
# Exit status: natkeep's, or 2 for a usage error.

if [ $# -lt 3 ]; then
  echo "usage: mpirun -np N $0 NATKEEP SCENARIO.ini OUTDIR [SWEEP OPTION]..." >&2
  exit 2
fi
if [ -z "${OMPI_COMM_WORLD_RANK-}" ] || [ -z "${OMPI_COMM_WORLD_SIZE-}" ]; then
  echo "$0: OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE not set: run me under Open MPI's mpirun" \
       "(MPICH and Intel MPI set PMI_RANK/PMI_SIZE instead)" >&2
  exit 2
fi

natkeep=$1 scenario=$2 out=$3
shift 3
rank=$OMPI_COMM_WORLD_RANK size=$OMPI_COMM_WORLD_SIZE
exec "$natkeep" sweep "$scenario" -o "$out/shard-$rank" --shard "$rank/$size" --quiet "$@"
