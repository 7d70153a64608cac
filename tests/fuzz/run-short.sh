#!/usr/bin/env bash
# CI's fuzzing: builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each on
# its seed corpus for FUZZ_SECONDS (default 20). A finding fails the run and leaves the input in
# build-fuzz/findings/. Long runs: tests/fuzz/CAMPAIGNS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-20}

"$root/.ci/install-deps.sh"  # clang and libclang-rt-14-dev among the rest
cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
mkdir -p "$build/findings"
fuzz() {
  local target=$1
  local work="$build/corpus/$target"  # new inputs go here; the committed seeds stay as they are
  local log="$build/$target.log"
  mkdir -p "$work"
  if ! "$build/fuzz_$target" "$work" "$root/tests/fuzz/corpus/$target" -max_total_time="$seconds" \
      -timeout=10 -print_final_stats=1 -artifact_prefix="$build/findings/$target-" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz_$target: finding saved in $build/findings/" >&2
    return 1
  fi
  echo "fuzz_$target: $(grep -E '^Done' "$log")"
}
# One target per core at a time: each is one single-threaded process for a fixed wall time, so
# running them side by side gives each as many executions as alone, in less wall time.
targets=(xml_text config_splice render_template proxy_request proxy_frames)
cores=$(nproc 2>/dev/null || echo 2)
((cores > ${#targets[@]})) && cores=${#targets[@]}
# Background jobs ignore Ctrl-C here: stop them with the script.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
running=0
failed=0
for target in "${targets[@]}"; do
  if ((running >= cores)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
if ((failed != 0)); then exit 1; fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, ${cores} at a time, no finding"
