#!/usr/bin/env python3
"""tests/README.md's rule, kept true: a test module never imports another test module; what suites
share lives in helper modules (tests/support/, tests/proxy/proxy_harness.py, ...). Fails, naming
file:line, when a Python file under tests/ imports a module that
- has a file name starting with `test_`, or
- ctest runs as a unittest module: an add_test of tests/**/CMakeLists.txt or tests/**/*.cmake
  with `-m unittest ... <module>` (`${var}` in a name matches anything), or `-m unittest discover`
  with its -p pattern (default test*.py).
Imports are read with ast: `import m`, `from m import x`, and importlib.import_module("m") or
__import__("m") with a literal name.

Usage: no_test_imports.py [SOURCE_ROOT]   (default: the checkout holding this script)
Exit 0: no such import; 1: some, listed on stderr."""

import ast
import fnmatch
import os
import re
import shlex
import sys

SKIPPED_FOLDERS = {"node_modules", "__pycache__"}
# Keywords of add_test that end the command line.
ADD_TEST_KEYWORDS = {"NAME", "COMMAND", "CONFIGURATIONS", "WORKING_DIRECTORY", "COMMAND_EXPAND_LISTS"}
# unittest options that take a value.
OPTIONS_WITH_VALUE = {"-k", "-p", "--pattern", "-s", "--start-directory", "-t", "--top-level-directory"}


def files_under(folder, wanted):
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if wanted(name):
                yield os.path.join(current, name)


def add_test_commands(text):
    """The argument lists of the add_test calls in CMake `text`, as lists of words."""
    text = re.sub(r"(?m)#.*$", "", text)
    for call in re.finditer(r"\badd_test\s*\((.*?)\)", text, re.S):
        try:
            yield shlex.split(call.group(1), posix=True)
        except ValueError:  # an odd quote: whitespace still separates the words that matter here
            yield call.group(1).split()


def unittest_module_patterns(words):
    """fnmatch patterns of the module names an add_test's `-m unittest` runs."""
    for at in range(len(words) - 1):
        if words[at] == "-m" and words[at + 1] == "unittest":
            break
    else:
        return []
    arguments = []
    for word in words[at + 2:]:
        if word in ADD_TEST_KEYWORDS:
            break
        arguments.append(word)
    patterns, discover, pattern = [], False, "test*.py"
    words = iter(arguments)
    for word in words:
        if word in OPTIONS_WITH_VALUE:
            value = next(words, "")
            if word in ("-p", "--pattern"):
                pattern = value
        elif word == "discover":
            discover = True
        elif not word.startswith("-"):
            patterns.append(word.split(".")[0])
    if discover:
        patterns.append(pattern[:-3] if pattern.endswith(".py") else pattern)
    return [re.sub(r"\$\{[^}]*\}", "*", p) for p in patterns]


def ctest_module_patterns(tests):
    patterns = set()
    wanted = lambda name: name == "CMakeLists.txt" or name.endswith(".cmake")  # noqa: E731
    for path in files_under(tests, wanted):
        with open(path, encoding="utf-8") as f:
            for words in add_test_commands(f.read()):
                patterns.update(unittest_module_patterns(words))
    return patterns


def imported_modules(tree):
    """(line, top-level module name) of each import in `tree`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                yield node.lineno, node.module.split(".")[0]
            if node.level or not node.module:  # from . import test_x
                for alias in node.names:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name in ("import_module", "__import__"):
                yield node.lineno, node.args[0].value.split(".")[0]


def problems(root):
    tests = os.path.join(root, "tests")
    patterns = ctest_module_patterns(tests)
    if not patterns:
        return ["found no `-m unittest` add_test under tests/: this check would check nothing"]
    found = []
    for path in files_under(tests, lambda name: name.endswith(".py")):
        where = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read(), path)
        except (SyntaxError, UnicodeDecodeError) as error:
            found.append(f"{where}: cannot be read as Python: {error}")
            continue
        for line, module in sorted(set(imported_modules(tree))):
            if module.startswith("test_"):
                why = "its name starts with test_"
            else:
                matched = sorted(p for p in patterns if fnmatch.fnmatchcase(module, p))
                if not matched:
                    continue
                why = f"ctest runs -m unittest {matched[0]}"
            found.append(f"{where}:{line}: imports {module}, a test module ({why}); "
                         "move what it shares into a helper module (tests/support/)")
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    found = problems(root)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
