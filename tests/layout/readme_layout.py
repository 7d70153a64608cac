#!/usr/bin/env python3
"""README's "Layout" and src/ agree. Fails, naming what differs, when:
- a folder under src/ has no `src/<folder>/` line;
- a file of src/core/ or src/commands/ (the libraries a newcomer edits most) is not named in the
  Layout block, as `name.*`, `name.h`, `name.cpp` or the bare word (commands are listed by name);
- the block names a `name.*`, `name.h` or `name.cpp` that no folder of src/ holds.

Usage: readme_layout.py [SOURCE_ROOT]   (default: the checkout holding this script)
Exit 0: they agree; 1: they differ, listed on stderr."""

import os
import re
import sys

DETAILED = ("core", "commands")
NAMED_FILE = re.compile(r"\b([a-z_]+)\.(?:\*|h\b|cpp\b)")


def layout_block(readme):
    section = re.search(r"^## Layout\n(.*?)(?:^## |\Z)", readme, re.S | re.M)
    block = section and re.search(r"^```\n(.*?)^```", section.group(1), re.S | re.M)
    if not block:
        sys.exit("README.md has no Layout section with a code block")
    return block.group(1)


def problems(root):
    block = layout_block(open(os.path.join(root, "README.md"), encoding="utf-8").read())
    src = os.path.join(root, "src")
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    stems = {os.path.splitext(f)[0] for d in folders for f in os.listdir(os.path.join(src, d))}
    found = [f"src/{d}/ has no line" for d in folders if f"src/{d}/" not in block]
    for folder in DETAILED:
        for name in sorted(os.listdir(os.path.join(src, folder))):
            stem = os.path.splitext(name)[0]
            if not re.search(rf"\b{re.escape(stem)}\b", block):
                found.append(f"src/{folder}/{name} is not named")
    found += [f"{m.group(0)} names no file of src/" for m in NAMED_FILE.finditer(block)
              if m.group(1) not in stems and not m.group(1).endswith("_test")]
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    found = problems(root)
    for line in found:
        print(f"README.md Layout: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
