#!/usr/bin/env python3
"""The C++ of src/, tests/ and bench/ is laid out as the top-level .clang-format says (README,
"Building, installing, packaging"). Fails naming the files clang-format would change; --fix
changes them. The check and the fix go over the same files (cpp_files), so what --fix leaves
passes.

Usage: clang_format.py [--fix] [--clang-format PROGRAM] [SOURCE_ROOT]
  SOURCE_ROOT     default: the checkout holding this script
  --clang-format  default: clang-format-14, else clang-format, from PATH. The layout is
                  clang-format 14's (Debian bookworm's); another version lays out some lines
                  differently, so a different one is refused.
Exit 0: laid out (or fixed); 1: files to fix listed on stderr; 2: no usable clang-format.
Before checking, a misformatted snippet must fail, so a check that finds nothing cannot pass."""

import argparse
import os
import re
import shutil
import subprocess
import sys

FOLDERS = ("src", "tests", "bench")
EXTENSIONS = (".h", ".cpp")
# Not our sources, or not sources at all: npm's packages (tests/attach), build trees made inside
# the checkout, the fuzzers' corpus.
SKIPPED = {"node_modules", "__pycache__", "corpus"}
VERSION = "14"
VIOLATION = re.compile(r"^(.*?):\d+:\d+: (?:error|warning): code should be clang-formatted", re.M)


def cpp_files(root):
    """Every C++ file the layout applies to, relative to `root`, sorted."""
    found = []
    for top in FOLDERS:
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.startswith((".", "build")))
            found += [os.path.relpath(os.path.join(folder, n), root) for n in names if n.endswith(EXTENSIONS)]
    return sorted(found)


def find_clang_format(given):
    program = given or shutil.which("clang-format-14") or shutil.which("clang-format")
    if not program:
        print("clang_format.py: no clang-format on PATH (Debian: apt-get install clang-format)", file=sys.stderr)
        sys.exit(2)
    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError as error:
        print(f"clang_format.py: cannot run {program}: {error}", file=sys.stderr)
        sys.exit(2)
    if not re.search(rf"clang-format version {VERSION}\.", version):
        print(f"clang_format.py: {program} is not clang-format {VERSION}: {(version.splitlines() or ['no version'])[0]}", file=sys.stderr)
        sys.exit(2)
    return program


def check_detects(program, root):
    """clang-format --dry-run --Werror fails on a misformatted snippet and passes a formatted one."""
    def fails(snippet):
        return subprocess.run([program, "--dry-run", "--Werror", "--style=file",
                               "--assume-filename=" + os.path.join(root, "src", "snippet.cpp")],
                              input=snippet, capture_output=True, text=True).returncode != 0
    if not fails("int  f( ) {return 1;}\n") or fails("int f() { return 1; }\n"):
        sys.exit("clang_format.py: clang-format --dry-run --Werror does not tell bad layout from good")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="lay the files out instead of checking them")
    parser.add_argument("--clang-format", dest="program", help="the clang-format 14 to run")
    parser.add_argument("root", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if not os.path.isfile(os.path.join(root, ".clang-format")):
        sys.exit(f"clang_format.py: {root} has no .clang-format")
    program = find_clang_format(args.program)
    files = cpp_files(root)
    if "src/main.cpp" not in files:
        sys.exit(f"clang_format.py: found no src/main.cpp under {root}; is it the source root?")

    if args.fix:
        subprocess.run([program, "-i", "--style=file", *files], cwd=root, check=True)
        print(f"clang_format.py: laid out {len(files)} files")
        return 0

    check_detects(program, root)
    result = subprocess.run([program, "--dry-run", "--Werror", "--ferror-limit=1", "--style=file", *files],
                            cwd=root, capture_output=True, text=True)
    if result.returncode == 0:
        return 0
    bad = sorted(set(VIOLATION.findall(result.stderr)))
    for name in bad:
        print(name, file=sys.stderr)
    if not bad:
        print(result.stderr, file=sys.stderr)
    print(f"clang_format.py: {len(bad) or 'some'} of {len(files)} files are not laid out as .clang-format says;"
          " tests/layout/clang_format.py --fix lays them out", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
