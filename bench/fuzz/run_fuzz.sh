#!/usr/bin/env bash
# The fuzzing benchmark: every libFuzzer target of tests/fuzz for at least 1,000,000 executions,
# one after the other at low priority, each from its seeds plus the corpus of earlier runs (kept in
# build-fuzz/fuzz/corpus/<target>). Prints a Markdown table for bench/RESULTS.md: executions,
# exec/s, coverage (libFuzzer's final cov: edges and ft: features), corpus size, crashes.
#   bench/fuzz/run_fuzz.sh [--runs N] [--max-time SECONDS] [--jobs J] [fuzz_target ...]
#   bench/fuzz/run_fuzz.sh --report [fuzz_target ...]     the table again, from the last run's logs
# --max-time stops each target after that many seconds even before N executions (a partial run,
# for a machine that cannot afford the full one; the table then shows how far each target got).
# --jobs runs that many targets at once (default 1); each target is still one libFuzzer process.
# Logs: build-fuzz/fuzz/bench/<target>.log; findings: build-fuzz/fuzz/bench/<target>.{crash,oom,timeout,leak}-*.
set -euo pipefail
# The targets write every input to a file under $TMPDIR: on a RAM file system that costs a third of
# what it costs on disk (measured: 1,052 -> 3,333 inputs/s for fuzz_movielens from one corpus).
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=1000000
max_time=0
jobs=1
report_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --max-time) max_time="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --report) report_only=1; shift ;;
    fuzz_*) targets+=("$1"); shift ;;
    *) echo "run_fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_movielens fuzz_movielens_dat fuzz_paired fuzz_amazon_json fuzz_amazon_csv
  fuzz_goodreads fuzz_recbole fuzz_delimited fuzz_gzip fuzz_experiment fuzz_settings fuzz_checkpoint fuzz_model_file
  fuzz_cache)

build="$root/build-fuzz"
out="$build/fuzz/bench"

# One table row from a target's log (and its exit status, when known).
row() {
  local t="$1" rc="${2:-0}" log="$out/$1.log"
  # libFuzzer's last status line, e.g. "#1000000 DONE cov: 812 ft: 3050 corp: 301/40Kb ... exec/s: 2207 rss: 60Mb".
  local last execs speed corp crashes
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 | tr -s ' \t' ' ')
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log")
  speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log")
  corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$last")
  crashes=$(find "$out" -maxdepth 1 \( -name "$t.crash-*" -o -name "$t.timeout-*" -o -name "$t.oom-*" -o -name "$t.leak-*" \) |
              wc -l)
  echo "| $t | ${execs:-?} | ${speed:-?} | $(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last") |" \
       "$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last") | ${corp:-?} | $crashes$([ "$rc" -ne 0 ] && echo " (exit $rc)") |"
}

header() {
  echo "| target | executions | exec/s | cov | ft | corpus | crashes |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
}

if [ "$report_only" -eq 1 ]; then
  header
  for t in "${targets[@]}"; do row "$t" "$(cat "$out/$t.rc" 2>/dev/null || echo 0)"; done
  exit 0
fi

"$root/tests/fuzz/run.sh" --prepare >/dev/null
mkdir -p "$out"
# One target's run; its exit status goes to $out/<target>.rc for the table.
run_target() {
  local t="$1" corpus="$build/fuzz/corpus/$1" rc=0
  mkdir -p "$corpus"
  rm -f "$out/$t".{crash,oom,timeout,leak,slow-unit}-* "$out/$t.rc"
  local dirs=("$build/fuzz/seeds/$t")
  [ -d "$root/tests/fuzz/regressions/$t" ] && dirs+=("$root/tests/fuzz/regressions/$t")
  nice -n 10 "$build/bin/$t" -runs="$runs" -max_total_time="$max_time" -seed=1 -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -max_len=16384 -print_final_stats=1 -artifact_prefix="$out/$t." "$corpus" "${dirs[@]}" \
    >"$out/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$out/$t.rc"
  echo "run_fuzz.sh: $t finished (exit $rc), $(date +%T)" >&2
}

for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait
header
status=0
for t in "${targets[@]}"; do
  rc=$(cat "$out/$t.rc")
  [ "$rc" -ne 0 ] && status=1
  row "$t" "$rc"
done
exit $status
