"""The completion scripts of `ptvsd-publish completion SHELL`, loaded in the real shells and asked
to complete a command, an option and an option's value, as a person pressing Tab would: bash
(calling the completion function), zsh (an interactive zsh on a terminal, Tab pressed), fish
(`complete -C`) and PowerShell (`TabExpansion2`). zsh loads the file `cmake --install` puts
under /usr (the .deb's prefix) and /usr/local, found on zsh's own default $fpath (taken under a
scratch root: DESTDIR); fish loads the file the build writes where `cmake --install` copies it
from; bash and zsh also the script sourced by hand, as the README says.

Run from this folder (ctest: completion_shells):
  PTVSD_PUBLISH=build/bin/ptvsd-publish PTVSD_BUILD_DIR=build PTVSD_ZSH=/usr/bin/zsh \\
  PTVSD_FISH=/usr/bin/fish PTVSD_PWSH=~/.cache/ptvsd-publish/powershell/pwsh \\
  python3 -m unittest -v completion_shells
"""

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import TOOL, ToolTest, require_tool, run  # noqa: E402

BUILD = os.environ.get("PTVSD_BUILD_DIR", "")
SHELLS = {name: os.environ.get("PTVSD_" + name.upper(), "") for name in ("zsh", "fish", "pwsh")}
WAIT = 60  # seconds a shell may take to answer on a busy machine; a bound, not a measurement


def setUpModule():
    require_tool()
    # Missing shells are errors, never skips: without them the build disables this test
    # (tests/CMakeLists.txt), or, with PTVSD_REQUIRE_TEST_ENV as in CI, fails to configure.
    for name, path in SHELLS.items():
        if not (path and os.access(path, os.X_OK)):
            raise RuntimeError(f"PTVSD_{name.upper()}={path!r} is not an executable file")
    if not (BUILD and os.path.isdir(BUILD)):
        raise RuntimeError("set PTVSD_BUILD_DIR to the build folder")


def installed(*parts):
    """A completion file as the build writes it, the one `cmake --install` copies (test_install)."""
    path = os.path.join(BUILD, "share", *parts)
    assert os.path.isfile(path), path
    return path


def environment():
    return {**os.environ, "PATH": os.path.dirname(TOOL) + os.pathsep + os.environ["PATH"], "TOOL": TOOL}


class Scripts(ToolTest):
    def test_the_build_writes_what_the_tool_prints(self):
        for shell, parts in (("bash", ("bash-completion", "completions", "ptvsd-publish")),
                             ("zsh", ("zsh", "site-functions", "_ptvsd-publish")),
                             ("fish", ("fish", "vendor_completions.d", "ptvsd-publish.fish")),
                             ("powershell", ("ptvsd-publish", "ptvsd-publish-completion.ps1"))):
            with self.subTest(shell=shell), open(installed(*parts)) as built:
                self.assertEqual(built.read(), run("completion", shell).stdout)

    def test_other_shells_are_refused(self):
        done = run("completion", "tcsh")
        self.assertEqual(done.returncode, 2)
        self.assertIn("completion: give the shell: bash, zsh, fish, powershell (not 'tcsh')", done.stderr)

    def test_help_names_every_shell(self):
        self.assertRegex(run("--help").stdout, r"(?m)^  completion +Print a completion script for bash, zsh, fish or PowerShell")
        self.assertIn("usage: ptvsd-publish completion bash|zsh|fish|powershell", run("completion", "--help").stdout)

    def test_every_option_of_every_command_is_in_every_script(self):
        """No script leaves out an option that a command's --help lists (but the positional one)."""
        scripts = {shell: run("completion", shell).stdout for shell in ("bash", "zsh", "fish", "powershell")}
        spelled = {"bash": r"[' ]--{}[' ]", "zsh": r"'--{}[=\[]", "fish": r" -l {} ", "powershell": r"name = '--{}'"}
        positional = {"rotate": "file", "check": "config", "completion": "shell"}
        for command in ("publish", "rotate", "url", "attach", "check", "completion"):
            names = re.findall(r"(?m)^  (?:-\w, |    )--([a-z][a-z-]*)", run(command, "--help").stdout)
            self.assertIn("format", names)
            for name in names:
                if name == positional.get(command):
                    continue
                for shell, script in scripts.items():
                    with self.subTest(command=command, option=name, shell=shell):
                        self.assertRegex(script, spelled[shell].format(name))


class Bash(ToolTest):
    def complete(self, *words, source="source <(\"$TOOL\" completion bash)"):
        """What bash's completion offers for the command line `words` (the last one partial)."""
        script = (source + "\n"
                  "complete -p ptvsd-publish\n"
                  "COMP_WORDS=(ptvsd-publish " + " ".join(words) + ")\n"
                  f"COMP_CWORD={len(words)}\n"
                  "_ptvsd_publish\n"
                  "(( ${#COMPREPLY[@]} )) && printf '%s\\n' \"${COMPREPLY[@]}\"; true\n")
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=WAIT,
                              env=environment(), cwd=self.tmp)
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(lines[0], "complete -o filenames -F _ptvsd_publish ptvsd-publish")
        return sorted(lines[1:])

    def test_completes_a_command(self):
        self.assertEqual(self.complete("pub"), ["publish"])
        self.assertEqual(self.complete("r"), ["rotate"])
        self.assertEqual(self.complete("--v"), ["--version"])

    def test_completes_an_option_from_the_commands_table(self):
        self.assertEqual(self.complete("publish", "--proj"), ["--project"])
        self.assertEqual(self.complete("url", "--s"), ["--secret-file", "--site"])
        self.assertEqual(self.complete("check", "--colo"), ["--color"])
        self.assertEqual(self.complete("check", "--reve"), [])  # check makes no secret

    def test_completes_values_from_the_placeholder(self):
        self.assertEqual(self.complete("check", "--format", "j"), ["json"])
        self.assertEqual(self.complete("url", "--ci", ""), ["auto", "azure", "github", "gitlab", "none"])
        self.folder("site")
        with open(os.path.join(self.tmp, "sitemap.txt"), "w"):
            pass
        self.assertEqual(self.complete("publish", "--project", "sit"), ["site"])  # DIR: folders only
        self.assertEqual(self.complete("rotate", "sit"), ["site", "sitemap.txt"])  # FILE: any name

    def test_completes_the_argument_of_help_and_completion(self):
        self.assertEqual(self.complete("help", "ro"), ["rotate"])
        self.assertEqual(self.complete("completion", "z"), ["zsh"])

    def test_installed_script(self):
        self.assertEqual(self.complete("publish", "--proj",
                                       source=f"source '{installed('bash-completion', 'completions', 'ptvsd-publish')}'"),
                         ["--project"])


class Zsh(ToolTest):
    """An interactive zsh on a terminal: the line is typed, Tab pressed, and a key bound to a widget
    writes what the line has become to a file."""

    def complete(self, lines, setup):
        out = os.path.join(self.tmp, "buffers")
        if os.path.exists(out):  # from an earlier call in the same test
            os.remove(out)
        pid, terminal = pty.fork()
        if pid == 0:  # the child: zsh without any user's startup files
            os.chdir(self.tmp)
            os.execve(SHELLS["zsh"], [SHELLS["zsh"], "-f", "-i"], {**environment(), "TERM": "dumb", "OUT": out})
        transcript = b""

        def read_until(marker):
            nonlocal transcript
            deadline = time.monotonic() + WAIT
            while marker not in transcript:
                self.assertLess(time.monotonic(), deadline, f"zsh did not print {marker!r}:\n{transcript[-2000:]!r}")
                if select.select([terminal], [], [], 1)[0]:
                    try:
                        transcript += os.read(terminal, 65536)
                    except OSError:  # the terminal closed: zsh has ended
                        return

        try:
            os.write(terminal, (setup + "\n"
                                "dump() { print -r -- \"$BUFFER\" >> $OUT; BUFFER= }\n"
                                "zle -N dump; bindkey '^X' dump\n"
                                "print ${:-READ}Y\n").encode())
            read_until(b"READY")
            for number, line in enumerate(lines, 1):
                os.write(terminal, line.encode() + b"\t\x18")
                deadline = time.monotonic() + WAIT
                while not (os.path.exists(out) and len(Path(out).read_text().splitlines()) >= number):
                    self.assertLess(time.monotonic(), deadline, f"no completion of {line!r}:\n{transcript[-2000:]!r}")
                    if select.select([terminal], [], [], 0.2)[0]:
                        transcript += os.read(terminal, 65536)
            os.write(terminal, b"exit\n")
            read_until(b"\0")  # to the end
        finally:
            os.close(terminal)
            os.waitpid(pid, 0)
        with open(out) as buffers:
            return buffers.read().splitlines()

    LINES = ["ptvsd-publish pub", "ptvsd-publish publish --proj", "ptvsd-publish check --format j",
             "ptvsd-publish rotate --same", "ptvsd-publish help ro", "ptvsd-publish completion fi",
             "ptvsd-publish --vers"]
    # An option that takes a value completes to "--project=", its value to follow in the same word.
    COMPLETED = ["ptvsd-publish publish ", "ptvsd-publish publish --project=", "ptvsd-publish check --format json ",
                 "ptvsd-publish rotate --same-secret ", "ptvsd-publish help rotate ",
                 "ptvsd-publish completion fish ", "ptvsd-publish --version "]

    def test_autoloaded_from_the_default_fpath_as_installed(self):
        """Installed as the .deb installs it (prefix /usr; Debian's zsh reads no site-functions
        there) and as a source install under /usr/local does, each into a scratch root: zsh's
        default $fpath, every folder taken under that root, finds it before any other copy
        (the machine's own folders follow, for compinit itself)."""
        for prefix, folder in (("/usr", "/usr/share/zsh/vendor-completions"),
                               ("/usr/local", "/usr/local/share/zsh/site-functions")):
            with self.subTest(prefix=prefix):
                root = self.folder("root" + prefix.replace("/", "-"))
                done = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], capture_output=True,
                                      text=True, env={**os.environ, "DESTDIR": root})
                self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
                found = os.path.join(self.tmp, "found")
                completed = self.complete(self.LINES, f"fpath=(${{fpath/#/{root}}} $fpath)\n"
                                          f"print -rl -- ${{^fpath}}/_ptvsd-publish(N) > {found}\n"
                                          "autoload -Uz compinit; compinit -u -D")
                self.assertEqual(completed, self.COMPLETED)
                self.assertEqual(Path(found).read_text().splitlines()[0], root + folder + "/_ptvsd-publish")

    def test_sourced_by_hand(self):
        completed = self.complete(self.LINES, "autoload -Uz compinit; compinit -u -D; source <(\"$TOOL\" completion zsh)")
        self.assertEqual(completed, self.COMPLETED)

    def test_a_folder_for_dir(self):
        self.folder("site")
        with open(os.path.join(self.tmp, "sitemap.txt"), "w"):
            pass
        completed = self.complete(["ptvsd-publish publish --project sit", "ptvsd-publish rotate sitem"],
                                  "autoload -Uz compinit; compinit -u -D; source <(\"$TOOL\" completion zsh)")
        self.assertEqual(completed, ["ptvsd-publish publish --project site/", "ptvsd-publish rotate sitemap.txt "])


class Fish(ToolTest):
    def complete(self, line, load):
        """What fish offers for `line`: the words, without their descriptions."""
        done = subprocess.run([SHELLS["fish"], "--no-config", "-c", load + "; complete -C" + repr(line)],
                              capture_output=True, text=True, timeout=WAIT, env=environment(), cwd=self.tmp)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr, "")
        return sorted(entry.split("\t")[0] for entry in done.stdout.splitlines())

    def check(self, load):
        self.assertEqual(self.complete("ptvsd-publish pub", load), ["publish"])
        self.assertEqual(self.complete("ptvsd-publish publish --proj", load), ["--project"])
        self.assertEqual(self.complete("ptvsd-publish url --s", load), ["--secret-file", "--site"])
        self.assertEqual(self.complete("ptvsd-publish check --reve", load), [])
        self.assertEqual(self.complete("ptvsd-publish check --format ", load), ["json", "text"])
        self.assertTrue({"--format", "--quiet", "-q"} <= set(self.complete("ptvsd-publish check -", load)))
        self.assertEqual(self.complete("ptvsd-publish help ro", load), ["rotate"])
        self.assertEqual(self.complete("ptvsd-publish completion p", load), ["powershell"])

    def test_from_vendor_completions_as_installed(self):
        folder = os.path.dirname(installed("fish", "vendor_completions.d", "ptvsd-publish.fish"))
        self.check(f"set fish_complete_path '{folder}' $fish_complete_path")

    def test_sourced_by_hand(self):
        self.check('"$TOOL" completion fish | source')

    def test_folders_for_dir_and_any_file_for_file(self):
        self.folder("site")
        with open(os.path.join(self.tmp, "sitemap.txt"), "w"):
            pass
        load = '"$TOOL" completion fish | source'
        self.assertEqual(self.complete("ptvsd-publish publish --project sit", load), ["site/"])
        self.assertEqual(self.complete("ptvsd-publish rotate sit", load), ["site/", "sitemap.txt"])
        self.assertEqual(self.complete("ptvsd-publish publish sit", load), [])  # publish takes no file


class PowerShell(ToolTest):
    def complete(self, *lines, load=None):
        """What PowerShell's Tab offers for each of `lines` (cursor at the end), the script loaded
        as a profile would (dot-sourced) unless `load` says otherwise."""
        commands = [load or f". '{installed('ptvsd-publish', 'ptvsd-publish-completion.ps1')}'"]
        for line in lines:
            quoted = line.replace("'", "''")
            commands.append(f"(TabExpansion2 -inputScript '{quoted}' -cursorColumn {len(line)}).CompletionMatches |"
                            " ForEach-Object { $_.CompletionText } | Sort-Object | Join-String -Separator ' '")
        done = subprocess.run([SHELLS["pwsh"], "-NoProfile", "-NonInteractive", "-Command", "; ".join(commands)],
                              capture_output=True, text=True, timeout=WAIT * 2, env=environment(), cwd=self.tmp)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(done.stderr, "")
        return done.stdout.splitlines()

    def test_completes_commands_options_and_values(self):
        self.folder("site")
        with open(os.path.join(self.tmp, "sitemap.txt"), "w"):
            pass
        self.assertEqual(self.complete(
            "ptvsd-publish pub", "ptvsd-publish publish --proj", "ptvsd-publish url --s", "ptvsd-publish check --reve",
            "ptvsd-publish check --format ", "ptvsd-publish check -q", "ptvsd-publish help ro",
            "ptvsd-publish completion p", "ptvsd-publish --vers", "ptvsd-publish rotate sitem"),
            ["publish", "--project", "--secret-file --site", "", "json text", "-q", "rotate", "powershell",
             "--version", os.path.join(".", "sitemap.txt")])

    def test_loaded_by_hand(self):
        # The README's line for this session only; Windows runs the tool as ptvsd-publish.exe.
        self.assertEqual(self.complete("ptvsd-publish check --fo", "ptvsd-publish.exe ro",
                                       load="ptvsd-publish completion powershell | Out-String | Invoke-Expression"),
                         ["--format", "rotate"])


if __name__ == "__main__":
    import unittest
    unittest.main()
