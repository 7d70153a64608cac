#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, and only when one is missing, so a
# second run costs a few dpkg queries. Shared by examples/demo.sh, tests/run.sh and
# tests/fuzz/run-short.sh.
set -euo pipefail

packages=(
  cmake g++ make pkg-config python3  # g++ brings libasan8 and libubsan1 (PTVSD_SANITIZE)
  libpugixml-dev libsodium-dev libboost-dev libboost-program-options-dev
  libgtest-dev
  python3-debugpy python3-websockets chromium
  clang libclang-rt-14-dev  # tests/fuzz: libFuzzer; the runtime is only a Recommends of clang-14
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
