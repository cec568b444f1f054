#!/usr/bin/env bash
# `l2aug experiment` and `l2aug report` from the command line: a grid killed while running and
# unfinished (SIGKILL: no chance to write anything), once inside its first cell and once after a
# few cells, and run again finishes with exactly the results of an uninterrupted run; usage errors;
# and, when given an mpirun, the MPI path with two ranks.
# Usage: experiment_cli_test.sh <l2aug binary> <tiny config> [mpirun]
set -u
l2aug=$1
config=$2
mpirun=${3:-}
source "$(dirname "$0")/../common/cli_expect.sh"
# The uninterrupted run.
"$l2aug" experiment --config "$config" --out "$scratch/straight" > "$scratch/straight.log" 2>&1
check "uninterrupted run succeeded" test -s "$scratch/straight/report.json"

# Killed twice, then finished. A cell is finished when its metrics.json exists (written last).
finished_cells() { find "$1/cells" -name metrics.json 2> /dev/null | wc -l; }
has_checkpoint() { test -n "$(find "$1/cells" -name '*.ckpt' -print -quit 2> /dev/null)"; }
total=$("$l2aug" experiment --config "$config" --out "$scratch/count" --dry-run --no-measure | sed -n 's/.*total: \([0-9]*\) cells.*/\1/p')
check "the dry run counts the cells (got '$total')" test -n "$total"
check "the uninterrupted run finished all $total cells" test "$(finished_cells "$scratch/straight")" -eq "${total:-0}"
# kill_when <condition...>: runs the grid in $scratch/killed until the condition holds, freezes it
# (SIGSTOP, so nothing changes while it is inspected), checks that the process is alive (stopped,
# not a zombie) and the grid unfinished, then kills it with SIGKILL: no chance to write anything.
kill_when() {
  "$l2aug" experiment --config "$config" --out "$scratch/killed" > /dev/null 2>&1 &
  local pid=$! polls=0 state=""
  # The wait ends on the condition (or the process ending); the bound only stops a hung test.
  while ! "$@" && kill -0 "$pid" 2> /dev/null && [ "$polls" -lt 6000 ]; do
    sleep 0.05
    polls=$((polls + 1))
  done
  kill -STOP "$pid" 2> /dev/null
  for polls in $(seq 100); do  # until the stop has taken effect (T) or the process turns out to have ended (Z)
    state=$(awk '{print $3}' "/proc/$pid/stat" 2> /dev/null)
    [ "$state" = T ] || [ "$state" = Z ] || [ -z "$state" ] && break
    sleep 0.01
  done
  local done_cells
  done_cells=$(finished_cells "$scratch/killed")
  check "alive when killed after '$*' (state '$state')" test "$state" = T
  check "grid unfinished when killed after '$*' ($done_cells of $total cells)" test "$done_cells" -lt "${total:-0}"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
}
at_least_3_finished() { test "$(finished_cells "$scratch/killed")" -ge 3; }
kill_when has_checkpoint "$scratch/killed"  # inside the first cell
kill_when at_least_3_finished               # after a few cells, in the middle of the grid
"$l2aug" experiment --config "$config" --out "$scratch/killed" > "$scratch/killed.log" 2>&1
check "restarted run succeeded" test -s "$scratch/killed/report.json"
check "the restarted run finished all $total cells" test "$(finished_cells "$scratch/killed")" -eq "${total:-0}"
check "killed-and-restarted grid gives the same results" cmp -s "$scratch/straight/report.json" "$scratch/killed/report.json"
check "no temporary file left behind" test -z "$(find "$scratch/killed" -name '*.tmp.*')"

# Usage errors name the option.
expect 2 "--shard: expected 0 <= I < N" -- "$l2aug" experiment --config "$config" --out "$scratch/x" --shard 3/3
expect 2 "unknown option --confg" -- "$l2aug" experiment --confg "$config" --out "$scratch/x"
expect 1 "cannot open" -- "$l2aug" experiment --config "$scratch/none.json" --out "$scratch/x"
expect 0 "total: 7 cells" -- "$l2aug" experiment --config "$config" --out "$scratch/dry" --dry-run --no-measure
expect 1 "not an experiment folder" -- "$l2aug" report "$scratch/empty-folder"

# --only runs the matching cells alone (the untreated ones here), without a report.
expect 2 "--only: give part of a cell id" -- "$l2aug" experiment --config "$config" --out "$scratch/only" --only ""
expect 0 "the cells matching '/none/' are complete" -- "$l2aug" experiment --config "$config" --out "$scratch/only" --only /none/
check "--only ran the untreated cells and nothing else" python3 -c "
import pathlib
done = sorted(str(p.parent.relative_to('$scratch/only/cells')) for p in pathlib.Path('$scratch/only/cells').rglob('metrics.json'))
assert done and all('/none/' in d for d in done), done
assert not pathlib.Path('$scratch/only/report.json').exists()
"

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
