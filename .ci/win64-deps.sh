#!/usr/bin/env bash
# Usage: .ci/win64-deps.sh. Prints the path of a prefix holding the win-x64 static libraries the
# cross build links (libsodium, pugixml, Boost.Program_options, OpenSSL, GoogleTest), building it
# first if it is not cached yet.
#
# Each library is built from Debian's own source package, at the version of the -dev package the
# Linux build uses, so both platforms run the same code. The prefix is cached outside the checkout
# (PTVSD_DEPS_CACHE, default ~/.cache/ptvsd-publish) under a key made of those versions, the
# compiler's and this script's, so CI on a machine that built it once pays nothing, and any change
# of version builds a new one. A private APT configuration supplies the deb-src entries without
# touching the machine's own apt setup.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
triplet=x86_64-w64-mingw32

# Debian source package, and the binary package whose installed version we match.
sources=(libsodium:libsodium-dev pugixml:libpugixml-dev openssl:libssl-dev)
versions=()
for entry in "${sources[@]}" boost1.74:libboost-program-options1.74-dev googletest:googletest; do
  versions+=("$entry=$(dpkg-query -W -f='${Version}' "${entry#*:}")")
done
key=$( (printf '%s\n' "${versions[@]}"; "$triplet-g++-posix" --version | head -1
        cat "$0" "$root/cmake/mingw-w64-x86_64.cmake") | sha256sum | cut -c1-16)
cache=${PTVSD_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptvsd-publish}
prefix=$cache/win64-$key
mkdir -p "$cache"
# One build at a time: a second run (another checkout, a parallel CI job) waits, then reuses it.
exec {lock}>"$cache/.lock"
flock "$lock"
if [[ -f $prefix/.complete ]]; then echo "$prefix"; exit 0; fi

work=$(mktemp -d "$cache/build.XXXXXX")  # beside the cache, so the final move is a rename
trap 'rm -rf "$work"' EXIT
staging=$work/prefix
mkdir -p "$staging"/{include,lib}
cores=$(nproc 2>/dev/null || echo 2)
log() { echo "== win64-deps: $*" >&2; }
# Runs a step with its output in a log, shown only when the step fails.
quiet() {
  "$@" >"$work/step.log" 2>&1 || { tail -40 "$work/step.log" >&2; return 1; }
}

# --- Debian sources, through a private apt configuration -----------------------------------------
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/sources"
sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
  > "$work/apt/sources/debian.sources"
cat > "$work/apt/apt.conf" <<EOF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$work/apt/sources";
Dir::State::Lists "$work/apt/lists";
Dir::Cache "$work/apt/cache";
EOF
export APT_CONFIG=$work/apt/apt.conf
log "reading Debian's source lists"
quiet apt-get update
# The source at the installed binary's version when the archive serves it, else the newest one
# that it serves (a mirror can list a version whose files it no longer holds).
fetch_source() {
  local package=$1 wanted=$2 version
  for version in $( (apt-cache showsrc "$package" | grep -qx "Version: $wanted" && echo "$wanted"
                     apt-cache showsrc "$package" | sed -n 's/^Version: //p' | sort -Vr) | awk '!seen[$0]++'); do
    log "fetching $package $version"
    rm -rf "$package"[-_]*
    apt-get source -q "${@:3}" "$package=$version" >"$work/step.log" 2>&1 && return 0
  done
  tail -20 "$work/step.log" >&2
  return 1
}
mkdir -p "$work/src"
cd "$work/src"
for entry in "${sources[@]}"; do
  fetch_source "${entry%%:*}" "$(dpkg-query -W -f='${Version}' "${entry#*:}")"
done
# Boost.Program_options: its sources only; the headers are the installed (patched) ones.
fetch_source boost1.74 "$(dpkg-query -W -f='${Version}' libboost-program-options1.74-dev)" \
  --download-only

# --- libsodium -----------------------------------------------------------------------------------
log "building libsodium"
(cd libsodium-*/ && quiet autoreconf -fi &&
  quiet ./configure --host=$triplet --prefix="$staging" --disable-shared --enable-static \
    --disable-dependency-tracking &&
  quiet make -j"$cores" && quiet make install)

# --- pugixml -------------------------------------------------------------------------------------
log "building pugixml"
toolchain=$root/cmake/mingw-w64-x86_64.cmake
quiet cmake -S pugixml-*/ -B pugixml-build -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DPTVSD_WIN64_PREFIX="$staging" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DCMAKE_INSTALL_PREFIX="$staging"
quiet cmake --build pugixml-build -j"$cores"
quiet cmake --install pugixml-build

# --- Boost.Program_options: Debian's installed headers (already patched), the library's sources --
log "building Boost.Program_options"
tar -xJf boost1.74_*.orig.tar.xz --wildcards '*/libs/program_options/src/*'
ln -s /usr/include/boost "$staging/include/boost"
mkdir -p po && for source in boost*/libs/program_options/src/*.cpp; do
  "$triplet-g++-posix" -std=c++17 -O2 -DNDEBUG -DBOOST_PROGRAM_OPTIONS_STATIC_LINK \
    -I"$staging/include" -c "$source" -o "po/$(basename "$source" .cpp).o" &
  while (($(jobs -rp | wc -l) >= cores)); do wait -n; done
done
wait
"$triplet-ar" rcs "$staging/lib/libboost_program_options.a" po/*.o

# --- OpenSSL (the attach tunnel's TLS) -----------------------------------------------------------
log "building OpenSSL (a few minutes)"
(cd openssl-*/ && quiet ./Configure mingw64 no-shared no-tests no-module \
    --cross-compile-prefix=$triplet- --prefix="$staging" --libdir=lib &&
  quiet make -j"$cores" build_libs && quiet make install_dev)

# --- GoogleTest, from the source Debian's libgtest-dev installs ---------------------------------
log "building GoogleTest"
quiet cmake -S /usr/src/googletest -B gtest-build -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DPTVSD_WIN64_PREFIX="$staging" -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF \
  -DCMAKE_INSTALL_PREFIX="$staging"
quiet cmake --build gtest-build -j"$cores"
quiet cmake --install gtest-build

printf '%s\n' "${versions[@]}" > "$staging/.versions"
touch "$staging/.complete"
rm -rf "$prefix"
mv "$staging" "$prefix"
# The pugixml/GTest CMake files name the staging folder; point them at the final one.
grep -rlI "$staging" "$prefix/lib" 2>/dev/null | xargs -r sed -i "s|$staging|$prefix|g"
echo "$prefix"
