#!/usr/bin/env bash
# The main job on the bundled example: installs what is missing, builds the tool (and, for the
# site, the win-x64 proxy: IIS runs it, whichever system publishes), then publishes
# examples/webapp in Debug with `dotnet publish`, exactly as a developer's publish would, into
# build/demo/. Shows what the publish produced, with the secret masked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/build.sh" --win64 build-win64 -DPTVSD_BUILD_TESTS=OFF
"$root/.ci/build.sh" build -DPTVSD_BUILD_TESTS=OFF -DPTVSD_SITE_PROXY="$root/build-win64/bin/ptvsd-proxy.exe"

demo="$root/build/demo"
rm -rf "$demo"
mkdir -p "$demo/examples"
cp -r "$root/examples/webapp" "$demo/examples/webapp"
cp -r "$root/msbuild" "$demo/msbuild"   # the example imports ../../msbuild/PtvsdPublish.targets
cp -r "$root/python" "$demo/python"     # whose $(PtvsdPublishSiteModule) is ../python/ptvsd_site.py

DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$demo/examples/webapp" -c Debug \
  -o "$demo/out" -nodeReuse:false "-p:PtvsdPublishToolPath=$root/build/bin/ptvsd-publish"

mask() { sed -E 's/(WSGI_PTVSD_SECRET" value=")[^"]*/\1***masked***/' "$1"; }
echo
echo "== $demo/out/web.config (published; the secret masked)"
mask "$demo/out/web.config"
echo
echo "== $demo/out/bin (the packaged proxy, a Windows x64 program, and its manifest)"
ls -l "$demo/out/bin"
if command -v file >/dev/null; then file "$demo/out/bin/ptvsd-proxy.exe"; fi
(cd "$demo/out/bin" && sha256sum -c ptvsd-proxy.exe.sha256)
echo
echo "== ptvsd-publish check --publish-dir $demo/out"
"$root/build/bin/ptvsd-publish" check --publish-dir "$demo/out"
echo
echo "The regenerated transform is $demo/examples/webapp/obj/ptvsd-publish/web.debug.config (mode 0600)."
echo "To print the debugger's URL (this shows the secret):"
echo "  (cd $demo/examples/webapp && $root/build/bin/ptvsd-publish url --site <your-app-name>)"
