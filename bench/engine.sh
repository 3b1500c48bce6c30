#!/usr/bin/env bash
# bench/engine.sh — hold-model benchmark of every event queue at 10^3, 10^5
# and 10^6 pending events, in one process so the ratios to ns-3's default
# scheduler (column ratio_ns3) compare like with like.  Prints TSV.
set -eu
nk=$1
exec "$nk" bench engine --pending 1000,100000,1000000 --events 10000000
