#!/usr/bin/env bash
# The one test command (and CI's: .ci/run). Installs what is missing, then, stopping at the first
# failure, cheapest verdict first:
#   1. build-win64/ (win-x64, MinGW-w64), whose ptvsd-proxy.exe is the one publish packages for
#      sites; then build/ with warnings as errors, every test through ctest (unit, CLI, XDT,
#      MSBuild, proxy, hardening, and static_linkage on ptvsd-publish-static: the release's
#      static link of the same objects);
#   2. build-win64/'s tests under Wine: both GoogleTest suites, and tests/wine (the .exe files
#      from the command line, and the proxy in front of the real debugpy);
#   3. tests/fuzz/run-short.sh: each libFuzzer target on its corpus for 20 s;
#   4. build-sanitize/ with ASan + UBSan, and the suite again less three labels (see below);
#   5. .ci/release.sh into build-release/: every release artifact, from build-win64/ (above) and
#      build-static/, tested as a pipeline uses them (tests/release/test_artifacts.py; 37 s with
#      a warm ccache, README "Building, installing, packaging").
# Usage: tests/run.sh [--quick] [ctest options...]. --quick stops after 1, for a developer's
# loop; CI passes no argument, so it always runs all five. ctest options (-R cli) apply to 1, 2
# and 4.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=false
if [[ "${1:-}" == --quick ]]; then quick=true; shift; fi
start=$SECONDS
elapsed() { echo "== tests/run.sh: $1 done, $((SECONDS - start)) s so far"; }
"$root/.ci/build.sh" --win64 build-win64 -DPTVSD_BUILD_TESTS=ON
elapsed "win-x64 build"
# PTVSD_REQUIRE_TEST_ENV: a test whose outside program is missing fails the configure here,
# where a developer's build only disables it.
tests=(-DPTVSD_BUILD_TESTS=ON -DPTVSD_FAULT_INJECTION=ON -DPTVSD_REQUIRE_TEST_ENV=ON
       -DPTVSD_SITE_PROXY="$root/build-win64/bin/ptvsd-proxy.exe")

"$root/.ci/build.sh" build "${tests[@]}"
(cd "$root/build" && ctest --output-on-failure -j 2 "$@")
elapsed "plain build and tests"
if $quick; then echo "== --quick: Wine, fuzz run and sanitizer suite skipped (CI runs them)"; exit 0; fi

# build-win64 (built above) made its own Wine prefix once (tests/wine/wine.cmake).
(cd "$root/build-win64" && ctest --output-on-failure -j 2 "$@")
elapsed "win-x64 tests under Wine"

"$root/tests/fuzz/run-short.sh"
elapsed "fuzz short run"

"$root/.ci/build.sh" build-sanitize "${tests[@]}" -DPTVSD_SANITIZE=ON
# ASan and LSan reports go to files: a finding in a run whose exit status a test does not check
# must still fail this command. (g++'s separate libubsan ignores log_path next to ASan; a UBSan
# finding is fatal, -fno-sanitize-recover, exits 1 "internal error", its report on stderr.)
logs="$root/build-sanitize/sanitizer-reports"
rm -rf "$logs" && mkdir -p "$logs"
status=0
# Labels skipped here: dotnet (the XDT engine and MSBuild at work; the tool's part of those runs is
# in the plain pass), browser (a static page the e2e suite's code serves) and python_only (no code
# of ours runs): none would give a sanitizer more code of ours to check. hardening_crash runs half
# its kills here (tests/hardening/CMakeLists.txt).
(cd "$root/build-sanitize" && ASAN_OPTIONS="log_path=$logs/asan" UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j 2 -LE '^(dotnet|browser|python_only)$' "$@") ||
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
if ((status != 0)); then exit "$status"; fi

# CI's artifacts are published nowhere, so there is no README address for the proxies' info page
# to link (.ci/release.sh says why it asks).
PTVSD_README_URL= "$root/.ci/release.sh" "$root/build-release"
elapsed "release artifacts"
