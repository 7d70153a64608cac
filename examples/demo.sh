#!/usr/bin/env bash
# The main job on the bundled example: installs what is missing, builds the tool, then publishes
# examples/webapp in Debug with `dotnet publish`, exactly as a developer's publish would, into
# build/demo/. Shows what the publish produced, with the secret masked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/build.sh" build -DPTVSD_BUILD_TESTS=OFF

demo="$root/build/demo"
rm -rf "$demo"
mkdir -p "$demo/examples"
cp -r "$root/examples/webapp" "$demo/examples/webapp"
cp -r "$root/msbuild" "$demo/msbuild"   # the example imports ../../msbuild/PtvsdPublish.targets

DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$demo/examples/webapp" -c Debug \
  -o "$demo/out" -nodeReuse:false "-p:PtvsdPublishToolPath=$root/build/bin/ptvsd-publish"

mask() { sed -E 's/(WSGI_PTVSD_SECRET" value=")[^"]*/\1***masked***/' "$1"; }
echo
echo "== $demo/out/web.config (published; the secret masked)"
mask "$demo/out/web.config"
echo
echo "== $demo/out/bin (the packaged proxy and its manifest)"
ls -l "$demo/out/bin"
(cd "$demo/out/bin" && sha256sum -c ptvsd-proxy.sha256)
echo
echo "== ptvsd-publish check --publish-dir $demo/out"
"$root/build/bin/ptvsd-publish" check --publish-dir "$demo/out"
echo
echo "The regenerated transform is $demo/examples/webapp/web.debug.config (mode 0600)."
echo "To print the debugger's URL (this shows the secret):"
echo "  $root/build/bin/ptvsd-publish url --site <your-app-name> --config $demo/examples/webapp/web.debug.config"
