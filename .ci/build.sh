#!/usr/bin/env bash
# Usage: .ci/build.sh [--win64] <dir> [cmake options...]. Installs what is missing, then configures
# and builds into <dir> (relative to the checkout; warnings are errors). The directory is an
# argument because tests/run.sh builds several trees: plain, sanitized and win-x64.
# --win64 cross-builds for Windows x64 with MinGW-w64, against the dependencies that
# .ci/win64-deps.sh builds from Debian's sources (cached, so only the first run pays for them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/install-deps.sh"
target=()
if [[ "${1:-}" == --win64 ]]; then
  shift
  target=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake"
          -DPTVSD_WIN64_PREFIX="$("$root/.ci/win64-deps.sh")")
fi
dir=$1
shift
# ccache, where installed, makes a rebuild of the same sources with the same flags (another
# checkout, or CI after a session, on the same machine) nearly free; without it, only slower.
# Paths inside the checkout are hashed relative to it, and the build folder is not hashed, so
# checkouts in different folders share hits (at the price of debug info naming the first one).
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPTVSD_WERROR=ON \
  "${launcher[@]}" "${target[@]}" "$@" >/dev/null
cmake --build "$root/$dir" -j "$(nproc 2>/dev/null || echo 2)"
