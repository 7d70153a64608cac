#!/usr/bin/env bash
# The one test command (and CI's: .ci/run). Installs what is missing, then, stopping at the first
# failure, cheapest verdict first:
#   1. build/ with warnings as errors, every test through ctest (unit, CLI, XDT, MSBuild, proxy,
#      hardening);
#   2. tests/fuzz/run-short.sh: each libFuzzer target on its corpus for 20 s;
#   3. build-sanitize/ with ASan + UBSan, and the same whole suite again, MSBuild included.
# Usage: tests/run.sh [--quick] [ctest options...]. --quick stops after 1, for a developer's
# loop; CI passes no argument, so it always runs all three. ctest options (-R cli) apply to 1 and 3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=false
if [[ "${1:-}" == --quick ]]; then quick=true; shift; fi
tests=(-DPTVSD_BUILD_TESTS=ON -DPTVSD_FAULT_INJECTION=ON)
start=$SECONDS
elapsed() { echo "== tests/run.sh: $1 done, $((SECONDS - start)) s so far"; }

"$root/.ci/build.sh" build "${tests[@]}"
(cd "$root/build" && ctest --output-on-failure -j 2 "$@")
elapsed "plain build and tests"
if $quick; then echo "== --quick: fuzz run and sanitizer suite skipped (CI runs them)"; exit 0; fi

"$root/tests/fuzz/run-short.sh"
elapsed "fuzz short run"

"$root/.ci/build.sh" build-sanitize "${tests[@]}" -DPTVSD_SANITIZE=ON
# ASan and LSan reports go to files: a finding in a run whose exit status a test does not check
# must still fail this command. (g++'s separate libubsan ignores log_path next to ASan; a UBSan
# finding is fatal, -fno-sanitize-recover, exits 1 "internal error", its report on stderr.)
logs="$root/build-sanitize/sanitizer-reports"
rm -rf "$logs" && mkdir -p "$logs"
status=0
(cd "$root/build-sanitize" && ASAN_OPTIONS="log_path=$logs/asan" \
  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j 2 "$@") ||
  status=$?
shopt -s nullglob
found=0
for report in "$logs"/*; do
  # Every finding says "ERROR:". A run that hardening_crash kills during LeakSanitizer's exit-time
  # check leaves only "Unable to get registers from thread N" (or nothing): not a finding.
  grep -q "ERROR:" "$report" || continue
  found=$((found + 1))
  if ((found <= 3)); then echo "== $report" >&2; cat "$report" >&2; fi  # one bug: many runs
done
if ((found > 0)); then
  echo "== $found sanitizer reports in $logs/, the first 3 above" >&2
  status=1
fi
elapsed "sanitizer build and tests"
exit "$status"
