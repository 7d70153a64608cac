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
for target in xml_text config_splice render_template proxy_request proxy_frames; do
  work="$build/corpus/$target"  # new inputs go here; the committed seeds stay as they are
  mkdir -p "$work"
  log="$build/$target.log"
  if ! "$build/fuzz_$target" "$work" "$root/tests/fuzz/corpus/$target" -max_total_time="$seconds" \
      -timeout=10 -print_final_stats=1 -artifact_prefix="$build/findings/$target-" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz_$target: finding saved in $build/findings/" >&2
    exit 1
  fi
  echo "fuzz_$target: $(grep -E '^Done' "$log")"
done
echo "fuzz: 5 targets, ${seconds} s each, no finding"
