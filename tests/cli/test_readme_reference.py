"""The README's command reference and the tool's --help say the same, so that neither drifts: the
synopsis block of "Commands" names every command that `ptvsd-publish --help` lists and no other,
and, per command, every option its `--help` lists (long and short name, and placeholder) and no
other; and every `ptvsd-publish <command> ...` line anywhere in the README uses only options that
command has. The same for ptvsd-proxy: its option table and its --help.

Run from this folder:  PTVSD_PUBLISH=build/bin/ptvsd-publish python3 -m unittest -v test_readme_reference
"""

import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import ToolTest, require_tool, run  # noqa: E402

README = Path(__file__).resolve().parents[2] / "README.md"
# An option in the README: `--name`, `-q|--name` or `-q, --name`, and the placeholder that follows
# it (a word that starts with a letter: `DIR`, `NAME|PATH`, `text|json`, `ws[s]://...`).
README_OPTION = re.compile(r"(?:-(\w)(?:\||, ))?--([a-z][a-z-]*)(?: ([A-Za-z]\S*))?")


def setUpModule():
    require_tool()


def placeholder(token):
    """`token` less the brackets and parentheses of the synopsis that close after it, and a
    repetition's `...`: `HOST[:PORT])` is `HOST[:PORT]`, `FILE]]` and `FILE]...` are `FILE`."""
    while True:
        if token.endswith("..."):
            token = token[:-3]
        elif token[-1:] in (")", "]") and token.count(token[-1]) > token.count("(" if token[-1] == ")" else "["):
            token = token[:-1]
        else:
            return token


def options_in(text):
    """{long name: (short name or None, placeholder or None)} of the options written in `text`."""
    return {match[2]: (match[1], placeholder(match[3]) if match[3] else None) for match in README_OPTION.finditer(text)}


def help_commands():
    text = run("--help").stdout
    listed = text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in listed.splitlines()], text


def option_entries(help_text):
    """Each option of a --help text as one string: its line starts "  -x, --name" or "      --name"
    (both programs print options alike), and its description may go on below."""
    text = help_text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    return re.split(r"\n(?=  -\w, --|      --)", text)


def help_options(command):
    """{long name: (short name or None, placeholder or None)} from `command --help`, and the long
    names whose description says they may be given without their name (positional)."""
    options, positional = {}, set()
    for entry in option_entries(run(command, "--help").stdout):
        match = re.match(r" *(?:-(\w), )?--([a-z][a-z-]*)(?: (\S+))?", entry)
        options[match[2]] = (match[1], match[3])
        if "positional" in entry:
            positional.add(match[2])
    return options, positional


def readme_synopsis():
    """The synopsis block of "Commands", each entry (a line and the indented lines that go on
    with it) as one string."""
    text = README.read_text(encoding="utf-8")
    block = text.split("\n## Commands\n", 1)[1].split("```\n", 2)[1]
    entries = []
    for line in block.splitlines():
        if line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
        elif line.strip():
            entries.append(line)
    return entries


class ReadmeReference(ToolTest):
    def setUp(self):
        super().setUp()
        self.commands, self.help_text = help_commands()
        self.help = {command: help_options(command) for command in self.commands}

    def readme(self):
        """{command: {long name: (short, placeholder)}} as the synopsis block gives them, and the
        rest of each command's line once its options are taken out (its positional arguments);
        "help" is there when the block names `help <command>`."""
        options = {command: {} for command in self.commands}
        rest = {}
        top_level = None
        for entry in readme_synopsis():
            head, _, tail = entry.partition(":")
            if entry.startswith("ptvsd-publish --help"):
                # "ptvsd-publish --help | --version | <command> -h|--help | help <command>"
                top_level = entry.split(" | <command> ")[0]
                for command in self.commands:
                    options[command].update(options_in(re.search(r"<command> (\S+)", entry)[1]))
                if "help <command>" in entry:
                    options["help"] = {}
                continue
            if entry.startswith("ptvsd-publish "):
                command = entry.split()[1]
                self.assertIn(command, self.commands, f"the README's synopsis has a command --help does not list:\n{entry}")
                options[command].update(options_in(entry))
                rest[command] = README_OPTION.sub("", entry.split(None, 2)[2] if len(entry.split()) > 2 else "")
                continue
            # "every command:  [--format ...]" or "publish, rotate, url:  [--reveal] ..."
            self.assertTrue(tail, f"an entry of the synopsis block this test does not know:\n{entry}")
            named = self.commands if head == "every command" else [word.strip() for word in head.split(",")]
            for command in named:
                self.assertIn(command, self.commands, entry)
                options[command].update(options_in(tail))
        self.assertIsNotNone(top_level, "the synopsis block has no `ptvsd-publish --help | ...` line")
        return options, rest, options_in(top_level)

    def test_the_same_commands(self):
        options, _, _ = self.readme()
        self.assertEqual(sorted(options), sorted(self.commands + ["help"]))
        # --help names `help <command>` as the README does.
        self.assertIn("ptvsd-publish help <command>", self.help_text)

    def test_the_top_level_options(self):
        _, _, top_level = self.readme()
        listed = re.findall(r"(?m)^  --([a-z-]+)", self.help_text.split("\nOptions:\n", 1)[1])
        self.assertEqual(sorted(top_level), sorted(listed))

    def test_the_same_options_per_command(self):
        readme, rest, _ = self.readme()
        for command in self.commands:
            documented = readme[command]
            listed, positional = self.help[command]
            with self.subTest(command=command):
                for name, (short, value) in listed.items():
                    if name in positional and name not in documented:
                        # Given without its name: the README writes the placeholder alone.
                        self.assertIn(value, rest[command], f"--{name} ({value}) is not in the README's line")
                        continue
                    self.assertIn(name, documented, f"--{name} of `{command} --help` is not in the README")
                    self.assertEqual(documented[name], (short, value), f"--{name}: (short name, placeholder)")
                for name in documented:
                    self.assertIn(name, listed, f"the README gives {command} an option --help does not list: --{name}")

    def test_every_command_line_in_the_readme_uses_real_options(self):
        text = README.read_text(encoding="utf-8")
        found = 0
        for match in re.finditer(r"ptvsd-publish (\w+)\b([^\n`]*)", text):
            command, rest = match[1], re.split(r"\s(?:&&|\||;|#|>)\s", match[2])[0]
            if command not in self.help:
                continue
            found += 1
            for name in options_in(rest):
                with self.subTest(line=match[0]):
                    self.assertIn(name, self.help[command][0], f"{command} has no --{name}")
        self.assertGreater(found, 20)  # the pattern still finds the README's command lines


def proxy_help_options():
    """{long name: (placeholder or None, default or None)} from `ptvsd-proxy --help`."""
    proxy = os.path.join(os.environ["PTVSD_BUILD_DIR"], "bin", "ptvsd-proxy")
    text = subprocess.run([proxy, "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    matches = (re.match(r" *(?:-\w, )?--([a-z-]+)(?: ([^\s(]+))?(?: \(=(\S+)\))?", entry) for entry in option_entries(text))
    return {match[1]: (match[2], match[3]) for match in matches}


def readme_proxy_table():
    """{long name: (placeholder or None, default column)} from the README's ptvsd-proxy option
    table: rows "| `--name PLACEHOLDER` | default | description |"."""
    text = README.read_text(encoding="utf-8").split("\n## ptvsd-proxy", 1)[1]
    return {match[1]: (match[2], match[3].strip().strip("`"))
            for match in re.finditer(r"(?m)^\| `--([a-z-]+)(?: (\S+))?` \|([^|]*)\|", text)}


class ReadmeProxyTable(unittest.TestCase):
    """The README's ptvsd-proxy option table and `ptvsd-proxy --help`: the same options, the same
    placeholders (never Boost's bare `arg`), and the same defaults where the table gives a value."""

    def test_the_same_options_placeholders_and_defaults(self):
        listed = {name: value for name, value in proxy_help_options().items() if name not in ("help", "version")}
        documented = readme_proxy_table()
        self.assertGreater(len(documented), 5)  # the pattern still finds the table
        self.assertEqual(sorted(documented), sorted(listed))
        for name, (value, default) in listed.items():
            with self.subTest(option=name):
                self.assertNotEqual(value, "arg")
                self.assertEqual(documented[name][0], value)
                if default is not None and re.fullmatch(r"[\w.:]+", documented[name][1]):
                    self.assertEqual(documented[name][1], default)


if __name__ == "__main__":
    unittest.main()
