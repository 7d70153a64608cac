#!/usr/bin/env python3
"""The disk seam holds: only src/core/files* and src/core/platform* touch the disk (README,
"Layout"). Fails, naming file and line, for a call that does outside them: a std::filesystem
query or change (status, exists, is_*, directory iteration, canonical, file sizes and times,
permissions, creating, removing, renaming, copying), a file stream or stdio/POSIX open, or an
OpenSSL call that loads files. Path arithmetic (fs::path, parent_path, filename, /) is fine.
Comments and string literals are not code and are skipped.

Usage: disk_seam.py [SOURCE_ROOT]   (default: the checkout holding this script)
Exit 0: the seam holds; 1: calls outside it (or a stale ALLOWED entry), listed on stderr.
Before scanning, the scanner checks itself on snippets (it must find an offender and must not
flag a comment, a string or path arithmetic), so a scanner that finds nothing cannot pass."""

import os
import re
import sys

# Where the disk may be touched.
SEAM = ("src/core/files", "src/core/platform")

# Calls outside the seam that are known and justified, as (file, call): each must still occur, so
# an entry that is no longer needed fails the check until it is removed.
ALLOWED = {
    # attach --ca-file: OpenSSL reads the PEM file itself. Reading it with files::read and handing
    # the bytes to add_certificate_authority would bring it inside the seam.
    ("src/tunnel/tls.cpp", "load_verify_file"),
    # The system's trust store, in the directories OpenSSL was built with: not a file of ours, and
    # read lazily by OpenSSL where it lives.
    ("src/tunnel/system_roots.cpp", "X509_STORE_set_default_paths"),
}

FILESYSTEM_CALLS = (
    "status|symlink_status|exists|is_regular_file|is_directory|is_symlink|is_empty|is_other|"
    "is_block_file|is_character_file|is_fifo|is_socket|directory_iterator|"
    "recursive_directory_iterator|directory_entry|canonical|weakly_canonical|absolute|relative|"
    "proximate|current_path|temp_directory_path|file_size|hard_link_count|last_write_time|"
    "permissions|read_symlink|space|equivalent|resize_file|create_directory|create_directories|"
    "create_symlink|create_directory_symlink|create_hard_link|remove|remove_all|rename|copy|"
    "copy_file|copy_symlink")
PATTERNS = [
    re.compile(r"\b(?:std::filesystem|fs)::(" + FILESYSTEM_CALLS + r")\b"),
    re.compile(r"\b(?:std::)?(ifstream|ofstream|fstream|basic_ifstream|basic_ofstream|basic_fstream)\b"),
    re.compile(r"(?<![\w.>])(?:std::|::)?(fopen|_wfopen|freopen|_wfreopen)\s*\("),
    re.compile(r"(?<![\w.>])::(open|openat|creat|stat|lstat|fstat|unlink|rename|mkdir|rmdir|link|symlink)\s*\("),
    re.compile(r"\bstd::(rename)\s*\("),
    re.compile(r"\b(CreateFileW?|DeleteFileW?|MoveFileExW?|CreateDirectoryW?|RemoveDirectoryW?)\s*\("),
    re.compile(r"\b(load_verify_file|use_certificate_file|use_certificate_chain_file|use_private_key_file|"
               r"use_tmp_dh_file|add_verify_path|set_default_verify_paths|X509_STORE_set_default_paths|"
               r"X509_STORE_load_locations|SSL_CTX_load_verify_locations)\b"),
]


def code_only(text):
    """`text` with comments and string and character literals blanked (newlines kept, so line
    numbers stay right)."""
    out = []
    i, n = 0, len(text)

    def blank(segment):
        out.append(re.sub(r"[^\n]", " ", segment))

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(text[i:end])
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(text[i:end])
            i = end
        elif c == '"' and i > 0 and text[i - 1] == "R" and (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_")
                                                                 or text[i - 2] in "uUL8"):
            delimiter = text[i + 1:text.find("(", i)]
            end = text.find(")" + delimiter + '"', i)
            end = n if end < 0 else end + len(delimiter) + 2
            blank(text[i:end])
            i = end
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isdigit():  # a digit separator: 1'000
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def offenders(text):
    """(line, call) for each disk call in `text`."""
    found = []
    code = code_only(text)
    for pattern in PATTERNS:
        for match in pattern.finditer(code):
            found.append((code.count("\n", 0, match.start()) + 1, match.group(1)))
    return sorted(found)


def self_test():
    must_find = {
        "if (fs::exists(p)) {}": "exists",
        "std::filesystem::status(p, error);": "status",
        "for (fs::directory_iterator it(d), end; it != end; ++it) {}": "directory_iterator",
        "std::ifstream in(path);": "ifstream",
        "FILE* f = std::fopen(name, \"rb\");": "fopen",
        "if (::stat(path.c_str(), &s) != 0) {}": "stat",
        "context.load_verify_file(name);": "load_verify_file",
        "const auto mode = fs::status(source).permissions() & fs::perms::mask;": "status",
    }
    must_pass = [
        "// fs::exists(p) in a comment\nconst fs::path p = dir / name;",
        "/* std::ifstream */ auto q = p.parent_path().filename();",
        'throw Error(code, {}, "fs::remove failed: std::fopen(x)");',
        'constexpr auto help = R"(fs::exists and std::ofstream in a raw string)";',
        "const auto perms = fs::perms::owner_read; auto n = 1'000'000;",
        "out.erase(std::remove(out.begin(), out.end(), '\\n'), out.end());",
        "found.push_back(entry.status_text); files::kind_of(p); files::read_if_exists(p);",
    ]
    failures = []
    for snippet, call in must_find.items():
        if call not in [found for _, found in offenders(snippet)]:
            failures.append(f"not found: {call!r} in {snippet!r}")
    for snippet in must_pass:
        if offenders(snippet):
            failures.append(f"flagged: {offenders(snippet)} in {snippet!r}")
    return failures


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    failures = self_test()
    if failures:
        print("disk_seam.py: the scanner itself is broken:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    problems = []
    used = set()
    scanned = 0
    for folder, _, names in os.walk(os.path.join(root, "src")):
        for name in sorted(names):
            if not name.endswith((".cpp", ".h", ".hpp", ".cc")):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if relative.startswith(SEAM):
                continue
            scanned += 1
            with open(path, encoding="utf-8") as source:
                for line, call in offenders(source.read()):
                    if (relative, call) in ALLOWED:
                        used.add((relative, call))
                    else:
                        problems.append(f"{relative}:{line}: {call}: touches the disk outside "
                                        "src/core/files* and src/core/platform* (add a function there)")
    for relative, call in sorted(ALLOWED - used):
        problems.append(f"{relative}: {call}: allowed in disk_seam.py but no longer used: remove the entry")
    if scanned == 0:
        problems.append(f"no source files under {root}/src")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
