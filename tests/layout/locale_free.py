#!/usr/bin/env python3
"""Text rules do not depend on the locale: no <cctype> classification or case mapping (isalnum,
isspace, tolower, ...) and no Boost case conversion anywhere in src/. Their answers change with
the C locale's code page, and a byte of UTF-8 must never count as a letter or change case. The
rules live in src/core/ascii.h (README, "Layout"). Fails naming file and line.

Usage: locale_free.py [SOURCE_ROOT]   (default: the checkout holding this script)
Exit 0: none found; 1: calls listed on stderr. The pattern is checked on snippets first, so a
pattern that finds nothing cannot pass."""

import os
import re
import sys

CALL = re.compile(r"(?<![\w.])(?:std::|::)?(?:is(?:alnum|alpha|blank|cntrl|digit|graph|lower|print|punct|space|upper|xdigit)"
                  r"|to(?:lower|upper))\s*\(|boost::(?:algorithm::)?(?:i?equals|to_lower|to_upper|iequals)\b")
COMMENT = re.compile(r"//.*$")


def offenders(text):
    for number, line in enumerate(text.splitlines(), 1):
        code = COMMENT.sub("", line)
        if CALL.search(code):
            yield number, line.strip()


def check_pattern():
    found = [len(list(offenders(snippet))) for snippet in (
        "if (std::isalnum(static_cast<unsigned char>(c)) != 0) {}",
        "c = ::tolower(c);",
        "return std::isspace(c);",
        "boost::algorithm::to_lower(name);")]
    clean = [len(list(offenders(snippet))) for snippet in (
        "// std::isalnum also takes the locale's letters",
        "return is_ascii_alphanumeric(c);",
        "const bool this_isspace_flag = x.isdigit_count;")]
    if found != [1, 1, 1, 1] or clean != [0, 0, 0]:
        sys.exit(f"locale_free.py: its pattern is broken (found {found}, clean {clean})")


def main():
    check_pattern()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    bad = []
    for folder, _, names in os.walk(os.path.join(root, "src")):
        for name in sorted(names):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                for number, line in offenders(f.read()):
                    bad.append(f"{os.path.relpath(path, root)}:{number}: {line}")
    for line in bad:
        print(line, file=sys.stderr)
    if bad:
        print("locale_free.py: use src/core/ascii.h's rules instead", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
