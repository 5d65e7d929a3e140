#!/usr/bin/env bash
# Runs each fuzz target for a fixed time, one after the other, and prints
# what it found. Not part of CI.
#
#   tests/fuzz/run.sh [seconds-per-target] [target ...]
#
# Seconds default to 600; targets to all (loader value axis). Needs the
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Builds into
# $CARGO_TARGET_DIR (default tests/fuzz/target). The working corpus grows in
# tests/fuzz/corpus/<target> (the committed seeds in tests/fuzz/seeds/<target>
# are read, never written); findings land in tests/fuzz/artifacts/<target>
# (crash-*, timeout-* = a hang of over 10 s, oom-* = over 2 GB). Re-run a
# finding with `cargo +nightly fuzz run --fuzz-dir tests/fuzz <target> <file>`.
set -euo pipefail

fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$fuzz/../.." && pwd)"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(loader value axis)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$fuzz/target}"
# The renderer's thread pool: one thread, so that a run takes one core.
export RAYON_NUM_THREADS=1
# The loader target's copy of its fixture site; removed at the end.
MIERUKA_FUZZ_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mieruka-fuzz.XXXXXX")"
export MIERUKA_FUZZ_DIR
trap 'rm -rf "$MIERUKA_FUZZ_DIR"' EXIT

# Restarts after a finding (libFuzzer stops at the first) within the time.
max_restarts=5
build=(--fuzz-dir "$fuzz" --codegen-units 16)

cd "$root"
cargo +nightly fuzz build "${build[@]}" "${targets[@]:0:1}" >/dev/null
[ ${#targets[@]} -gt 1 ] && cargo +nightly fuzz build "${build[@]}" >/dev/null

mkdir -p "$fuzz/logs"
summary=()
for t in "${targets[@]}"; do
  mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
  marker="$fuzz/logs/$t.start"
  : >"$marker"
  log="$fuzz/logs/$t.log"
  : >"$log"
  dict=()
  [ -f "$fuzz/$t.dict" ] && dict=(-dict="$fuzz/$t.dict")
  echo "== $t: ${seconds}s (log: $log)"
  start=$SECONDS
  execs=0
  runs=0
  while :; do
    left=$((seconds - (SECONDS - start)))
    [ "$left" -gt 0 ] || break
    set +e
    cargo +nightly fuzz run "${build[@]}" "$t" "$fuzz/corpus/$t" "$fuzz/seeds/$t" -- \
      -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${dict[@]}" >>"$log" 2>&1
    code=$?
    set -e
    runs=$((runs + 1))
    # The last final-stats block of this run (a crash prints its own).
    n=$(grep -a '^stat::number_of_executed_units:' "$log" | tail -1 | awk '{print $2}')
    execs=$((execs + ${n:-0}))
    echo "stat::number_of_executed_units: 0 (counted)" >>"$log"
    [ "$code" -eq 0 ] && break
    if [ "$runs" -gt "$max_restarts" ]; then
      echo "   stopped after $runs runs that ended in a finding" >&2
      break
    fi
  done
  elapsed=$((SECONDS - start))
  found() { find "$fuzz/artifacts/$t" -maxdepth 1 -name "$1-*" -newer "$marker" | sort; }
  crashes=$(found crash | grep -c . || true)
  timeouts=$(found timeout | grep -c . || true)
  ooms=$(found oom | grep -c . || true)
  corpus=$(find "$fuzz/corpus/$t" -type f | wc -l)
  rate=$((execs / (elapsed > 0 ? elapsed : 1)))
  line="$t: ${elapsed}s, executions $execs, execs/s $rate, crashes $crashes, timeouts $timeouts, ooms $ooms, corpus $corpus files, libFuzzer runs $runs"
  echo "   $line"
  for f in $(found crash) $(found timeout) $(found oom) $(found leak) $(found slow-unit); do
    echo "   artifact: $f"
  done
  summary+=("$line")
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
