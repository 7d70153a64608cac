#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, and only when one is missing, so a
# second run costs a few dpkg queries. Shared by examples/demo.sh, tests/run.sh and
# tests/fuzz/run-short.sh.
set -euo pipefail

packages=(
  cmake g++ make pkg-config python3  # g++ brings libasan8 and libubsan1 (PTVSD_SANITIZE)
  # tests/hardening: strace for the outside fault sweep (strace -e inject) and for the order of
  # fsync and rename (test_durability.py); util-linux for setpriv
  strace util-linux
  libpugixml-dev libsodium-dev libboost-dev libboost-program-options-dev
  libgtest-dev
  libssl-dev openssl nginx python3-waitress  # attach: TLS to the site; tests/attach's site
  python3-debugpy python3-websockets chromium
  gunicorn python3-waitress  # tests/site: the example app under real WSGI servers
  clang libclang-rt-14-dev  # tests/fuzz: libFuzzer; the runtime is only a Recommends of clang-14
  ccache  # optional for the build; it makes a rebuild of unchanged sources nearly free
  # win-x64: the MinGW-w64 cross compiler, what .ci/win64-deps.sh needs to build the target's
  # libraries from Debian's sources, and Wine to run the results
  g++-mingw-w64-x86-64-posix mingw-w64-tools dpkg-dev autoconf automake libtool libssl-dev wine64
  man-db  # tests/release: the man pages rendered as man shows them (dpkg-dev: the .deb's Depends)
  zsh fish  # tests/cli/completion_shells.py: the completion scripts in the real shells
  clang-format  # tests/layout/clang_format.py: the C++ laid out as .clang-format says (version 14)
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
"$(dirname "$0")/install-dap-client.sh"  # npm's part of tests/attach
"$(dirname "$0")/install-pwsh.sh"  # NuGet's part of tests/cli/completion_shells.py
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
