#!/usr/bin/env bash
# Installs what tests/attach drives the tunnel with: Node.js (Debian's nodejs and npm when there
# is no npm yet) and Microsoft's DAP client from npm, at the version package-lock.json pins, into
# tests/attach/dap_client/node_modules. A second run with the same lock installs nothing.
set -euo pipefail

client="$(cd "$(dirname "$0")/../tests/attach/dap_client" && pwd)"
if ! command -v npm >/dev/null; then
  echo "installing: nodejs npm" >&2
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends nodejs npm
fi
# Installed already when every package the lock names is there at the locked version.
if (cd "$client" && node -e '
  const lock = require("./package-lock.json").packages;
  const ok = Object.entries(lock).every(([path, p]) => !path ||
    (() => { try { return require("./" + path + "/package.json").version === p.version; } catch { return false; } })());
  process.exit(ok ? 0 : 1);'); then
  exit 0
fi
(cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
