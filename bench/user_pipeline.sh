#!/bin/sh
# What a user would script instead of ptvsd-publish, for compare.sh to time against the tool.
# Plain POSIX sh and stock tools, written the obvious way (no atomic replace, no fsync, no checks),
# so the comparison flatters the pipeline rather than the tool.
#
#   user_pipeline.sh publish PROJECT_DIR PUBLISH_DIR PROXY   new secret into PROJECT_DIR/web.debug.config
#                                                            (xmlstarlet), proxy + sha256sum manifest
#   user_pipeline.sh rotate FILE...                          one xmlstarlet call per file, in place
set -eu

# The app setting holding a value (an <add> without one is an XDT locator, as the tool reads it).
xpath="//appSettings/add[@key='WSGI_PTVSD_SECRET']/@value"

# 32 random bytes, base64url without padding: the tool's format.
new_secret() {
  openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n'
}

command=$1
shift
case $command in
  publish)
    project=$1 out=$2 proxy=$3
    secret=$(new_secret)
    xmlstarlet ed -P -u "$xpath" -v "$secret" "$project/web.debug.config" >"$project/web.debug.config.new"
    mv "$project/web.debug.config.new" "$project/web.debug.config"
    mkdir -p "$out/bin"
    cp "$proxy" "$out/bin/ptvsd-proxy"
    cd "$out/bin" && sha256sum ptvsd-proxy >ptvsd-proxy.sha256
    ;;
  rotate)
    # One secret for all files: the tool draws one per file, so this favours the pipeline.
    secret=$(new_secret)
    for file in "$@"; do
      xmlstarlet ed -L -P -u "$xpath" -v "$secret" "$file"
    done
    ;;
  *)
    echo "usage: user_pipeline.sh publish PROJECT PUBLISH_DIR PROXY | rotate FILE..." >&2
    exit 2
    ;;
esac
