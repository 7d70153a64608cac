"""One version number: CMake's project(VERSION) is the source; --version of both programs, the
NuGet package's default <Version> (used by a plain `dotnet pack`) and the newest entry of
CHANGELOG.md must say the same.

Usage: check_version.py VERSION TOOL PROXY CSPROJ CHANGELOG   (run by ctest as release_version_agrees)
"""

import re
import subprocess
import sys


def main(version, tool, proxy, csproj, changelog):
    problems = []
    for program, name in ((tool, "ptvsd-publish"), (proxy, "ptvsd-proxy")):
        said = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout.strip()
        if said != f"{name} {version}":
            problems.append(f"{name} --version says '{said}', CMake says {version}")
    with open(csproj, encoding="utf-8") as file:
        package = re.findall(r"<Version\b[^>]*>([^<]*)</Version>", file.read())
    if package != [version]:
        problems.append(f"{csproj}: <Version> {package}, CMake says {version}")
    with open(changelog, encoding="utf-8") as file:
        newest = re.search(r"(?m)^## (\S+)", file.read())
    if newest is None or newest[1] != version:
        problems.append(f"{changelog}: the newest entry is {newest[1] if newest else 'missing'}, CMake says {version}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
