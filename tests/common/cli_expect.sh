# Helpers shared by the command-line tests (sourced, not run): a scratch folder removed on exit with
# its own cache, and two assertions that count passes and failures. End a test with cli_summary.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CACHE_HOME="$scratch/cache"
failures=0
passed=0

# expect <exit code> <text the output must contain> -- <command...>
expect() {
  local code=$1 text=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -qF -- "$text" <<<"$out"; then
    echo "FAIL: $* -> exit $rc (want $code), output lacks '$text':"
    echo "$out" | tail -20
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

# check <description> <command...>: passes when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

# cli_summary <name>: prints the counts; the exit status is the verdict.
cli_summary() {
  echo "$1: $passed passed, $failures failed"
  [ "$failures" -eq 0 ]
}
