"""The proxy compares secret material in exactly one place, in constant time.

No test can time a comparison reliably, so this check makes a timing leak hard to write instead.
In the proxy's sources (src/proxy: the only code where a remote party supplies a candidate
secret), with comments and string literals removed first:
  1. the one compare function, `constant_time_equal`, exists, calls `sodium_memcmp`, and makes no
     other comparison of bytes (no memcmp, strcmp, std::equal, .compare(), ==, !=);
  2. outside it, no byte comparison at all: memcmp/bcmp/strcmp/strncmp, std::equal, std::mismatch,
     std::lexicographical_compare, .compare(, nor sodium_memcmp (secret material is compared by the
     one function, so there is one place to review);
  3. outside it, no `==` or `!=` on a line that names secret material (an identifier containing
     secret, credential, digest, password, token or authorization, or a call of reveal()).
Rule 3 is by name and per line: it keeps unrelated comparisons (a path, a header's length) out
of its way, and a comparison split over lines or of a renamed variable gets past it. That gap is
what tests/proxy/auth_test.cpp's seam test closes: the auth decision must come from the compare
function SecretCheck is given, so a comparison that bypasses it fails that test.

Usage: constant_time_check.py DIR   (exit 1 and one line per finding)
       constant_time_check.py --self-test   (the rules fire on known bad code, not on good code)
"""
import pathlib
import re
import sys

COMPARE_FUNCTION = "constant_time_equal"
BYTE_COMPARISONS = re.compile(
    r"(?<![\w])(?:std::)?(?:memcmp|bcmp|strcmp|strncmp)\s*\(|\bstd::(?:ranges::)?equal\s*\(|"
    r"\bstd::(?:ranges::)?mismatch\s*\(|\bstd::(?:ranges::)?lexicographical_compare\s*\(|"
    r"\.compare\s*\(|\bsodium_memcmp\s*\(")
EQUALITY = re.compile(r"[=!]=")
SECRET_NAME = re.compile(r"\w*(?:secret|credential|digest|password|token|authorization)\w*|\breveal\s*\(",
                         re.IGNORECASE)


def code_only(text):
    """The text with comments and string and character literals blanked, newlines kept."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|R"(\w*)\(.*?\)\1"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                         re.DOTALL)
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def function_body(code, name):
    """(first line, last line) of the definition of `name`, 1-based, or None."""
    for match in re.finditer(r"\b" + name + r"\s*\([^;{)]*\)\s*(?:noexcept\s*)?\{", code):
        depth = 0
        for at in range(match.end() - 1, len(code)):
            depth += {"{": 1, "}": -1}.get(code[at], 0)
            if depth == 0:
                return code.count("\n", 0, match.start()) + 1, code.count("\n", 0, at) + 1
    return None


def findings(files):
    """[(path, line, message)] for {path: text}."""
    found = []
    defined = []
    for path, text in files.items():
        code = code_only(text)
        body = function_body(code, COMPARE_FUNCTION)
        lines = code.split("\n")
        if body is not None:
            defined.append(path)
            inside = "\n".join(lines[body[0] - 1:body[1]])
            calls = BYTE_COMPARISONS.findall(inside)
            if not any("sodium_memcmp" in call for call in calls):
                found.append((path, body[0], f"{COMPARE_FUNCTION} does not call sodium_memcmp"))
            for number in range(body[0], body[1] + 1):
                line = lines[number - 1]
                others = [c for c in BYTE_COMPARISONS.findall(line) if "sodium_memcmp" not in c]
                # The one `== 0` allowed is on sodium_memcmp's result.
                if others or (EQUALITY.search(line) and not re.search(r"sodium_memcmp\s*\(.*\)\s*==\s*0", line)):
                    found.append((path, number, f"a comparison other than sodium_memcmp in {COMPARE_FUNCTION}"))
        for number, line in enumerate(lines, 1):
            if body is not None and body[0] <= number <= body[1]:
                continue
            if BYTE_COMPARISONS.search(line):
                found.append((path, number, f"a byte comparison outside {COMPARE_FUNCTION}: "
                                            f"{BYTE_COMPARISONS.search(line).group(0).strip()}"))
            elif EQUALITY.search(line) and SECRET_NAME.search(line):
                found.append((path, number, f"== or != on secret material ({SECRET_NAME.search(line).group(0)}) "
                                            f"outside {COMPARE_FUNCTION}"))
    if len(defined) != 1:
        found.append(("(sources)", 0, f"{COMPARE_FUNCTION} is defined {len(defined)} times, not once"))
    return found


GOOD = """
// a comment may say memcmp, == and secret freely: "so may a string == secret"
bool constant_time_equal(const Digest& a, const Digest& b) {
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}
bool SecretCheck::matches(std::string_view candidate) const { return compare_(hash(candidate), digest_); }
const auto path = to_std(query == string_view::npos ? target : target.substr(0, query));
const bool ok = key.size() == 24;
"""

BAD = {
    "return std::memcmp(a.data(), b.data(), a.size()) == 0;": "in the function: memcmp for sodium_memcmp",
    "return a == b;": "in the function: == for sodium_memcmp",
}
BAD_OUTSIDE = [
    "return std::memcmp(digest.data(), digest_.data(), 32) == 0;",
    "return memcmp(x, y, n) == 0;",
    "return std::equal(a.begin(), a.end(), b.begin());",
    "return credential->str().compare(expected) == 0;",
    "if (credential->str() == secret_text) return true;",
    "return digest != digest_;",
    "if (header.substr(7) == secret.reveal()) return true;",
    "return sodium_memcmp(x, y, 32) == 0;",
]


def self_test():
    problems = []
    if findings({"good.cpp": GOOD}):
        problems.append(f"fires on good code: {findings({'good.cpp': GOOD})}")
    good_body = "return sodium_memcmp(a.data(), b.data(), a.size()) == 0;"
    for bad, what in BAD.items():
        if not findings({"bad.cpp": GOOD.replace(good_body, bad)}):
            problems.append(f"silent on {what}: {bad}")
    for bad in BAD_OUTSIDE:
        if not findings({"bad.cpp": GOOD + bad + "\n"}):
            problems.append(f"silent on: {bad}")
    if not findings({"bad.cpp": GOOD.replace(COMPARE_FUNCTION, "renamed")}):
        problems.append("silent when the compare function is missing")
    for problem in problems:
        print(f"constant_time_check self-test: {problem}", file=sys.stderr)
    print(f"constant_time_check self-test: {1 + len(BAD) + len(BAD_OUTSIDE) + 1} cases, "
          f"{len(problems)} wrong")
    return 1 if problems else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    root = pathlib.Path(argv[1])
    files = {str(path): path.read_text(encoding="utf-8") for path in sorted(root.rglob("*"))
             if path.suffix in (".cpp", ".h", ".hpp")}
    found = findings(files)
    for path, line, message in found:
        print(f"{path}({line}): error: {message}", file=sys.stderr)
    print(f"constant_time_check: {len(files)} files, {len(found)} findings")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
