"""The man pages say what --help says: every line of each program's --help, and of each
ptvsd-publish command's --help, appears in the rendered page (cmake/man_page.cmake writes them).

Usage: check_man_pages.py MAN1_DIR TOOL PROXY   (run by ctest as man_pages)
"""

import os
import re
import subprocess
import sys


def normal(text):
    # man renders hyphens and quotes typographically in UTF-8; compare words, not glyphs
    for fancy, plain in (("\u2212", "-"), ("\u2010", "-"), ("\u2019", "'"), ("\u2018", "'")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).strip()


def rendered(page):
    env = dict(os.environ, MANWIDTH="250", MAN_KEEP_FORMATTING="")
    result = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env, check=True)
    return normal(re.sub(r".\x08", "", result.stdout))


def help_text(*command):
    return subprocess.run([*command, "--help"], capture_output=True, text=True, check=True).stdout


def main(man1, tool, proxy):
    missing = []
    tool_help = help_text(tool)
    commands = re.findall(r"^  ([a-z][a-z-]*)", tool_help.split("\nCommands:\n")[1].split("\n\n")[0], re.M)
    if not commands:
        missing.append("ptvsd-publish --help lists no commands")
    expected = {
        "ptvsd-publish": [tool_help] + [help_text(tool, command) for command in commands],
        "ptvsd-proxy": [help_text(proxy)],
    }
    for program, helps in expected.items():
        page = rendered(os.path.join(man1, program + ".1"))
        for text in helps:
            for line in text.splitlines():
                if normal(line) and normal(line) not in page:
                    missing.append(f"{program}.1 lacks: {line.strip()}")
    for line in missing:
        print(line)
    print(f"checked the pages of ptvsd-publish (commands: {' '.join(commands)}) and ptvsd-proxy")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
