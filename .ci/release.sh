#!/usr/bin/env bash
# Usage: PTVSD_README_URL=<https://...> .ci/release.sh <out-dir>. Builds and writes every release
# artifact of one version into <out-dir>, then tests them (tests/release/test_artifacts.py):
#   ptvsd-publish_<v>_amd64.deb            Debian/Ubuntu, static tool: depends on libc6 only
#   ptvsd-publish-<v>-linux-x64.tar.gz     the same tree, self-contained, to unpack anywhere
#   ptvsd-publish-<v>-win-x64.zip          the win-x64 build (build-win64) in the same layout, with
#                                          the PowerShell completion but no man pages
#   PtvsdPublish.<v>.nupkg                 the MSBuild package (msbuild/package)
#   SHA256SUMS                             over all of them
# Trees: build-win64 (.ci/build.sh --win64; its ptvsd-proxy.exe is the site proxy of every
# package) and build-static (PTVSD_STATIC=ON, no tests).
# PTVSD_README_URL is where the README is published: the proxies' info page links its section on
# attaching. The repository records no address of its own, so the release names it; it must be
# set, to nothing for proxies whose page only names the section (tests/run.sh: CI publishes nothing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -ne 1 || -z "${PTVSD_README_URL+set}" ]]; then
  echo "usage: PTVSD_README_URL=<https://... where the README is published, or nothing> $0 <out-dir>" >&2
  exit 2
fi
readme=(-DPTVSD_README_URL="$PTVSD_README_URL")
out=$(mkdir -p "$1" && cd "$1" && pwd)
version=$(sed -n 's/^project(ptvsd-publish VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$out"/*.deb "$out"/*.tar.gz "$out"/*.zip "$out"/*.nupkg "$out/SHA256SUMS"

"$root/.ci/build.sh" --win64 build-win64 "${readme[@]}"
start=$SECONDS
"$root/.ci/build.sh" build-static -DPTVSD_STATIC=ON -DPTVSD_BUILD_TESTS=OFF "${readme[@]}" \
  -DPTVSD_SITE_PROXY="$root/build-win64/bin/ptvsd-proxy.exe"
echo "release: build-static built in $((SECONDS - start)) s"

# A cross build cannot run its tool to print the completion scripts. The Linux tool of the same
# sources prints the PowerShell one from the same option tables (what the .exe prints under Wine,
# but for its CRLF line ends, which PowerShell does not need); the .zip gets it where the Linux
# trees have it.
mkdir -p "$work/win64-extra/share/ptvsd-publish"
"$root/build-static/bin/ptvsd-publish" completion powershell \
  > "$work/win64-extra/share/ptvsd-publish/ptvsd-publish-completion.ps1"
# cpack installs each tree stripped (CPACK_STRIP_FILES) and packs it (CMakeLists.txt, CPack).
(cd "$work" && cpack -G ZIP --config "$root/build-win64/CPackConfig.cmake" -B "$work/win64" \
   -D "CPACK_INSTALLED_DIRECTORIES=$work/win64-extra;." >/dev/null)
(cd "$work" && cpack -G "DEB;TGZ" --config "$root/build-static/CPackConfig.cmake" -B "$work/linux" >/dev/null)
mv "$work"/win64/*.zip "$work"/linux/*.deb "$work"/linux/*.tar.gz "$out/"

# The NuGet package from stripped, staged trees, by its documented line (README, "Building").
cmake --install "$root/build-static" --prefix "$work/stage" --strip >/dev/null
cmake --install "$root/build-win64" --prefix "$work/stage-win64" --strip >/dev/null
dotnet pack "$root/msbuild/package/PtvsdPublish.csproj" -o "$out" -p:PtvsdPublishBinDir="$work/stage/bin" \
  -p:PtvsdPublishWinBinDir="$work/stage-win64/bin" -p:Version="$version" -nologo -v:q

(cd "$out" && sha256sum -- *.deb *.tar.gz *.zip *.nupkg > SHA256SUMS)
ls -l "$out"
cd "$root/tests/release"
PTVSD_RELEASE_DIR=$out PTVSD_VERSION=$version PYTHONDONTWRITEBYTECODE=1 python3 -m unittest -v test_artifacts
