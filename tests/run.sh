#!/usr/bin/env bash
# The one test command: installs what is missing, builds with warnings as errors, runs every test
# (unit, CLI, real XDT engine) through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/build.sh" -DPTVSD_BUILD_TESTS=ON -DPTVSD_FAULT_INJECTION=ON
cd "$root/build"
ctest --output-on-failure -j 2 "$@"
