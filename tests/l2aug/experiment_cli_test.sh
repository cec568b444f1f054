#!/usr/bin/env bash
# `l2aug experiment` and `l2aug report` from the command line: a grid killed at an arbitrary moment
# (SIGKILL: no chance to write anything) and run again finishes with exactly the results of an
# uninterrupted run; usage errors; and, when given an mpirun, the MPI path with two ranks.
# Usage: experiment_cli_test.sh <l2aug binary> <tiny config> [mpirun]
set -u
l2aug=$1
config=$2
mpirun=${3:-}
source "$(dirname "$0")/../common/cli_expect.sh"
# The uninterrupted run.
"$l2aug" experiment --config "$config" --out "$scratch/straight" > "$scratch/straight.log" 2>&1
check "uninterrupted run succeeded" test -s "$scratch/straight/report.json"

# Killed twice at arbitrary moments, then finished.
for delay in 1.5 3; do
  "$l2aug" experiment --config "$config" --out "$scratch/killed" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
done
"$l2aug" experiment --config "$config" --out "$scratch/killed" > "$scratch/killed.log" 2>&1
check "restarted run succeeded" test -s "$scratch/killed/report.json"
check "killed-and-restarted grid gives the same results" cmp -s "$scratch/straight/report.json" "$scratch/killed/report.json"
check "no temporary file left behind" test -z "$(find "$scratch/killed" -name '*.tmp.*')"

# Usage errors name the option.
expect 2 "--shard: expected 0 <= I < N" -- "$l2aug" experiment --config "$config" --out "$scratch/x" --shard 3/3
expect 2 "unknown option --confg" -- "$l2aug" experiment --confg "$config" --out "$scratch/x"
expect 1 "cannot open" -- "$l2aug" experiment --config "$scratch/none.json" --out "$scratch/x"
expect 0 "total: 7 cells" -- "$l2aug" experiment --config "$config" --out "$scratch/dry" --dry-run --no-measure
expect 1 "not an experiment folder" -- "$l2aug" report "$scratch/empty-folder"

# Shards in separate folders, merged by the report.
for s in 0 1; do "$l2aug" experiment --config "$config" --out "$scratch/shard$s" --shard "$s/2" > /dev/null 2>&1; done
expect 0 "cells (0 unfinished)" -- "$l2aug" report "$scratch/shard0" "$scratch/shard1"

if [ -n "$mpirun" ]; then
  "$mpirun" --allow-run-as-root --oversubscribe -np 2 "$l2aug" --threads 1 experiment --config "$config" \
    --out "$scratch/mpi" > "$scratch/mpi.log" 2>&1
  rc=$?
  check "mpirun -np 2 finished (exit $rc)" test "$rc" -eq 0
  check "MPI run gives the same results" cmp -s "$scratch/straight/report.json" "$scratch/mpi/report.json"
  check "both ranks ran cells" grep -q "\[rank 1\]" "$scratch/mpi.log"
fi

cli_summary experiment_cli_test
