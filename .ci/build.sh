#!/usr/bin/env bash
# Usage: .ci/build.sh <dir> [cmake options...]. Installs what is missing, then configures and
# builds into <dir> (relative to the checkout; warnings are errors). The directory is an argument
# because tests/run.sh builds two trees, plain and sanitized.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
"$root/.ci/install-deps.sh"
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPTVSD_WERROR=ON "$@" >/dev/null
cmake --build "$root/$dir" -j "$(nproc 2>/dev/null || echo 2)"
