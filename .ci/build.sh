#!/usr/bin/env bash
# Configures and builds into build/ (warnings are errors). Extra arguments go to CMake's configure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPTVSD_WERROR=ON "$@" >/dev/null
cmake --build "$root/build" -j "$(nproc 2>/dev/null || echo 2)"
