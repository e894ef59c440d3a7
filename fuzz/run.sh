#!/usr/bin/env bash
# Runs the fuzz targets, each for a bounded time, and prints what each did.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS is the time per target (default 60); the targets default to all
# three. Needs the nightly toolchain (`rustup toolchain install nightly`);
# installs cargo-fuzz when it is missing. New inputs go to fuzz/work/TARGET
# (not committed); the committed seeds in fuzz/corpus/TARGET are read only.
# A crash or a failed check is saved under fuzz/artifacts/TARGET and makes
# the script exit non-zero. Each run's full log is fuzz/work/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(wire_decode outcome_decode eval_bytes)
fi
case $seconds in
  '' | *[!0-9]*) echo "run.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "run.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "run.sh: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Build every target first, so the time limits below are spent fuzzing.
cargo +nightly fuzz build

# AddressSanitizer's quarantine of freed memory (256 MiB by default) makes
# the resident size climb past libFuzzer's 2 GiB limit in long runs; the
# targets themselves stay flat (about 50 MB with no quarantine).
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}

status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "work/$target"
  seeds=("corpus/$target")
  flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10)
  if [ "$target" = eval_bytes ]; then
    # The hostile scripts call the same service paths as the target's
    # Sandbox; they are read-only seeds too.
    seeds+=(../crates/kobako/tests/hostile)
    flags+=(-dict=dict/ruby.dict -max_len=4096)
  fi
  log="work/$target.log"
  echo "== $target: ${seconds}s"
  if cargo +nightly fuzz run "$target" "work/$target" "${seeds[@]}" -- "${flags[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and artifacts/$target/)"
    status=1
    grep -E "panicked|ERROR: |SUMMARY: " "$log" | head -5 || true
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  saved=$(find "work/$target" -type f | wc -l)
  summary+=("$(printf '%-15s %6ss  execs %-10s (%s/s)  corpus %-12s (%s saved in work/%s)  %s' \
    "$target" "$seconds" "${execs:-?}" "${rate:-?}" "${corpus:-?}" "$saved" "$target" "$result")")
done

echo
echo "fuzz summary (corpus = inputs/bytes libFuzzer kept, seeds included):"
printf '%s\n' "${summary[@]}"
exit $status
