#!/usr/bin/env bash
# Installs PowerShell, the shell tests/cli/completion_shells.py loads the PowerShell completion in.
# Debian has no package for it, so it is Microsoft's .NET tool from NuGet, at a pinned version,
# in ~/.cache/ptvsd-publish/powershell, where tests/CMakeLists.txt looks for pwsh. A second run
# with that version there installs nothing.
set -euo pipefail

folder="$HOME/.cache/ptvsd-publish/powershell"
version=7.6.9  # a later 7.7 may want a newer .NET than the SDK the tests use
if ! command -v dotnet >/dev/null; then
  echo "not installing PowerShell: no dotnet (a test build requires both)" >&2
  exit 0
fi
if dotnet tool list --tool-path "$folder" 2>/dev/null | grep -Eq "^powershell +$version "; then
  exit 0
fi
echo "installing: PowerShell $version (.NET tool)" >&2
dotnet tool uninstall --tool-path "$folder" PowerShell >/dev/null 2>&1 || true
dotnet tool install --tool-path "$folder" PowerShell --version "$version" >/dev/null
