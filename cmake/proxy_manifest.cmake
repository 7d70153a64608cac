# Writes the integrity manifest of the site proxy beside it, once, when the build makes the proxy:
# `cmake -DPROXY=<ptvsd-proxy.exe> -P proxy_manifest.cmake`. The line is the one publish puts into
# <publish-dir>/bin/ (core/package.h, sha256sum's format), so publish copies it instead of hashing
# the same megabytes on every run.
file(SHA256 "${PROXY}" digest)
get_filename_component(name "${PROXY}" NAME)
file(WRITE "${PROXY}.sha256" "${digest}  ${name}\n")
