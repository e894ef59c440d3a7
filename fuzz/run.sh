#!/usr/bin/env bash
# Runs the fuzz targets, each for a bounded time or number of runs, and
# prints what each did.
#
#   fuzz/run.sh [--runs N] [--sanitizer S] [--codegen-units N] [SECONDS] [TARGET...]
#
# SECONDS is the time per target (default 60); --runs N runs each target on
# N inputs instead, whatever the time. --sanitizer is cargo-fuzz's (address,
# the default, or none); --codegen-units is cargo-fuzz's too (16 builds
# faster than its default of 1, and runs slower). The targets default to all
# three. Uses the nightly pinned in fuzz/rust-toolchain.toml (`rustup
# toolchain install` in fuzz/); installs cargo-fuzz when it is missing. New inputs go to fuzz/work/TARGET
# (not committed); the committed seeds in fuzz/corpus/TARGET are read only.
# A crash or a failed check is saved under fuzz/artifacts/TARGET; it, like a
# failed build, makes the script exit non-zero. Each run's full log is
# fuzz/work/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")"

runs=
build=()
sanitizer=address
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:-}; shift 2 ;;
    --sanitizer) sanitizer=${2:-}; shift 2 ;;
    --codegen-units) build+=(--codegen-units "${2:-}"); shift 2 ;;
    *) break ;;
  esac
done
seconds=60
case ${1:-} in
  '' | *[!0-9]*) ;;
  *) seconds=$1; shift ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(wire_decode outcome_decode eval_bytes)
fi
case $runs in
  *[!0-9]*) echo "run.sh: --runs takes a whole number, not '$runs'" >&2; exit 2 ;;
esac

if ! cargo --version >/dev/null 2>&1; then
  echo "run.sh: the nightly of fuzz/rust-toolchain.toml is missing (run \`rustup toolchain install\` in fuzz/)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "run.sh: installing cargo-fuzz"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

# Build every target first, so the time limits below are spent fuzzing.
build+=(--sanitizer "$sanitizer")
cargo fuzz build "${build[@]}"

# AddressSanitizer's quarantine of freed memory (256 MiB by default) makes
# the resident size climb past libFuzzer's 2 GiB limit in long runs; the
# targets themselves stay flat (about 50 MB with no quarantine).
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}

status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "work/$target"
  seeds=("corpus/$target")
  if [ -n "$runs" ]; then
    flags=(-runs="$runs")
    limit="$runs runs"
  else
    flags=(-max_total_time="$seconds")
    limit="${seconds}s"
  fi
  flags+=(-print_final_stats=1 -timeout=10)
  if [ "$target" = eval_bytes ]; then
    # The hostile scripts call the same service paths as the target's
    # Sandbox; they are read-only seeds too.
    seeds+=(../crates/kobako/tests/hostile)
    flags+=(-dict=dict/ruby.dict -max_len=4096)
  fi
  log="work/$target.log"
  echo "== $target: $limit, sanitizer $sanitizer"
  if cargo fuzz run "${build[@]}" "$target" "work/$target" "${seeds[@]}" -- "${flags[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and artifacts/$target/)"
    status=1
    grep -E "panicked|ERROR: |SUMMARY: " "$log" | head -5 || true
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # A crash while loading the seeds leaves no corpus line to read.
  corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  saved=$(find "work/$target" -type f | wc -l)
  summary+=("$(printf '%-15s %12s  execs %-10s (%s/s)  corpus %-12s (%s saved in work/%s)  %s' \
    "$target" "$limit" "${execs:-?}" "${rate:-?}" "${corpus:-?}" "$saved" "$target" "$result")")
done

echo
echo "fuzz summary (corpus = inputs/bytes libFuzzer kept, seeds included):"
printf '%s\n' "${summary[@]}"
exit $status
