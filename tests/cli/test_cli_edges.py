"""The CLI's rough edges (issue 18): messages in our words, `help <command>`, "did you mean" for
options, conflicting options, --color, the summary last. Run as a user would run the built tool.

    cd tests/cli && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_cli_edges
"""

import json
import os
import pty
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import CONFIG, TOOL, ToolTest, require_tool, run  # noqa: E402


def setUpModule():
    require_tool()


class UsageMessageTest(ToolTest):
    temp_prefix = "ptvsd-edges-"

    def usage_error(self, *args):
        result = run(*args, cwd=self.tmp)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertTrue(result.stderr.startswith("ptvsd-publish: error PTVSD001: "), result.stderr)
        return result.stderr

    def test_boost_wording_never_reaches_the_user(self):
        for args in (("rotate",), ("url", "--site"), ("url", "--site", "a", "--site", "b"),
                     ("publish", "--secret-bytes", "abc"), ("url", "stray"),
                     ("publish", "--regenerate=yes"), ("check", "--projct", ".")):
            with self.subTest(args=args):
                message = self.usage_error(*args)
                for boost in ("the option", "is required but missing", "the required argument",
                              "for option", "is invalid", "cannot be specified more than once",
                              "too many positional", "unrecognised option"):
                    self.assertNotIn(boost, message)

    def test_rotate_without_a_file_asks_for_a_file(self):
        message = self.usage_error("rotate")
        self.assertIn("rotate: give at least one FILE", message)
        self.assertNotIn("--file", message)

    def test_messages_name_what_was_typed(self):
        self.assertIn("--site needs a value", self.usage_error("url", "--site"))
        self.assertIn("--site is given more than once", self.usage_error("url", "--site", "a", "--site", "b"))
        self.assertIn("--secret-bytes does not take 'abc'", self.usage_error("publish", "--secret-bytes", "abc"))
        self.assertIn("unexpected argument 'stray'", self.usage_error("url", "stray"))
        self.assertIn("--regenerate takes no value", self.usage_error("publish", "--regenerate=yes"))

    def test_unknown_option_suggests_the_closest(self):
        message = self.usage_error("publish", "--projct", ".")
        self.assertIn("unknown option '--projct'; did you mean '--project'?", message)
        self.assertIn("did you mean '--format'?", self.usage_error("check", "--fromat", "json"))

    def test_unknown_option_far_from_any_has_no_suggestion(self):
        message = self.usage_error("publish", "--frobnicate")
        self.assertIn("unknown option '--frobnicate'", message)
        self.assertNotIn("did you mean", message)

    def test_site_and_host_together_are_refused(self):
        self.assertIn("--site and --host", self.usage_error("url", "--site", "a", "--host", "b"))

    def test_quiet_and_verbose_together_are_refused(self):
        self.assertIn("--quiet and --verbose ask for opposite things", self.usage_error("publish", "-q", "-v"))


class HelpCommandTest(ToolTest):
    def test_help_command_shows_that_commands_help(self):
        for command in ("publish", "rotate", "url", "check"):
            with self.subTest(command=command):
                result = run("help", command)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stdout, run(command, "--help").stdout)
                self.assertTrue(result.stdout.startswith(f"usage: ptvsd-publish {command}"))
                self.assertEqual(result.stderr, "")

    def test_help_of_an_unknown_command_suggests_one(self):
        result = run("help", "pubish")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command 'pubish'; did you mean 'publish'?", result.stderr)


class MissingInputTest(ToolTest):
    def test_url_without_web_debug_config_says_how_to_point_at_one(self):
        result = run("url", "--site", "x", cwd=self.tmp)
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn(f"{CONFIG}: error PTVSD030: no such file", result.stderr)
        self.assertIn("--config FILE", result.stderr)

    def test_check_blames_a_missing_publish_dir_not_its_web_config(self):
        missing = os.path.join(self.tmp, "nonexistent")
        result = run("check", "--publish-dir", missing)
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertTrue(result.stderr.startswith(f"{missing}: error PTVSD033: --publish-dir"), result.stderr)
        self.assertNotIn("web.config:", result.stderr)


class SecretBitsTest(ToolTest):
    def test_url_reports_the_bits_publish_reported(self):
        for size in ("16", "32", "64"):
            with self.subTest(size=size):
                project = self.folder("site-" + size)
                published = json.loads(run("publish", "--project", project, "--secret-bytes", size,
                                           "--format", "json").stdout)
                url = json.loads(run("url", "--site", "x", "--format", "json", cwd=project).stdout)
                self.assertEqual(published["secret_bits"], int(size) * 8)
                self.assertEqual(url["secret_bits"], published["secret_bits"])


def run_at_terminal(*args, env):
    """Runs the tool with stderr on a pseudo-terminal; returns what it wrote there."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([TOOL, *args], stdout=subprocess.DEVNULL, stderr=follower, env=env, timeout=60)
        os.close(follower)
        follower = None
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        return done.returncode, b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)
        if follower is not None:
            os.close(follower)


class ColourTest(ToolTest):
    ESCAPE = "\x1b["

    def environment(self, **extra):
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
        env.update(extra)
        return env

    def test_a_terminal_gets_colour_unless_term_is_dumb(self):
        _, coloured = run_at_terminal("check", "--project", self.tmp, env=self.environment(TERM="xterm"))
        self.assertIn(self.ESCAPE, coloured)
        _, dumb = run_at_terminal("check", "--project", self.tmp, env=self.environment(TERM="dumb"))
        self.assertIn("error PTVSD101", dumb)
        self.assertNotIn(self.ESCAPE, dumb)

    def test_color_never_at_a_terminal_and_always_in_a_pipe(self):
        _, never = run_at_terminal("check", "--color", "never", "--project", self.tmp,
                                   env=self.environment(TERM="xterm"))
        self.assertIn("error PTVSD101", never)
        self.assertNotIn(self.ESCAPE, never)
        always = run("check", "--color", "always", "--project", self.tmp, env=self.environment(TERM="dumb"))
        self.assertIn("\x1b[1;31merror\x1b[0m PTVSD101", always.stderr)

    def test_color_takes_three_words(self):
        result = run("check", "--color", "sometimes", "--project", self.tmp)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--color takes auto, always or never", result.stderr)


class SummaryLastTest(ToolTest):
    def test_the_summary_follows_the_problems(self):
        result = run("check", "--project", self.tmp)
        lines = result.stderr.splitlines()
        self.assertGreaterEqual(len(lines), 2, result.stderr)
        self.assertIn("error PTVSD101", lines[0])
        self.assertEqual(lines[-1], "ptvsd-publish: 1 problem found")


class HelpLayoutTest(ToolTest):
    COMMANDS = ("publish", "rotate", "url", "check")

    def test_options_show_placeholders_not_arg(self):
        for command in self.COMMANDS + ("attach", "completion"):
            with self.subTest(command=command):
                text = run(command, "--help").stdout
                self.assertNotRegex(text, r"\barg\b")
                self.assertIn("--format text|json (=text)", text)
                self.assertIn("--color auto|always|never (=auto)", text)
        self.assertIn("--project DIR", run("publish", "--help").stdout)
        self.assertIn("--secret-bytes N (=32)", run("rotate", "--help").stdout)
        self.assertIn("--site NAME", run("url", "--help").stdout)
        self.assertIn("--publish-dir DIR", run("check", "--help").stdout)
        self.assertIn("--listen HOST:PORT (=127.0.0.1:5678)", run("attach", "--help").stdout)

    def test_descriptions_wrap_at_spaces_within_100_columns(self):
        for command in self.COMMANDS:
            with self.subTest(command=command):
                options = run(command, "--help").stdout.split("Options:\n", 1)[1].split("\nExamples:", 1)[0]
                for line in options.splitlines():
                    if not line.lstrip().startswith("-"):  # a description line
                        self.assertLessEqual(len(line), 100, line)
        self.assertIn("<name>.azurewebsites.net", run("url", "--help").stdout)

    def test_every_command_has_two_or_three_examples(self):
        for command in self.COMMANDS + ("attach", "completion"):
            with self.subTest(command=command):
                examples = run(command, "--help").stdout.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
                # An example is a command line; `source <(ptvsd-publish completion bash)` counts too.
                count = len([line for line in examples.splitlines()
                             if line.startswith("  ") and f"ptvsd-publish {command} " in line])
                self.assertIn(count, (2, 3), examples)

    def test_command_options_come_before_the_shared_ones(self):
        text = run("url", "--help").stdout
        self.assertLess(text.index("--site"), text.index("--format"))


class NotAProjectTest(ToolTest):
    def test_publish_in_a_folder_that_is_no_project_warns_and_says_what_it_created(self):
        folder = self.folder("empty")
        result = run("publish", "--project", folder)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result.stderr)
        # The canonical form, as every warning: the folder is the origin, PTVSD034 the code.
        self.assertTrue(lines[0].startswith(f"{folder}: warning PTVSD034: no web.config and no project file"),
                        lines[0])
        config, lock = os.path.join(folder, CONFIG), os.path.join(folder, ".ptvsd-publish.lock")
        self.assertIn(f"created {config} and {lock}", lines[0])
        self.assertTrue(os.path.isfile(config) and os.path.isfile(lock))
        self.assertIn("--project DIR", lines[0])
        self.assertIn(": created from template", lines[1])  # the summary stays last

    def test_the_warning_is_in_json_and_survives_quiet(self):
        folder = self.folder("empty")
        document = json.loads(run("publish", "--project", folder, "--format", "json").stdout)
        self.assertEqual([(w["code"], w["file"]) for w in document["warnings"]], [("PTVSD034", folder)])
        quiet = run("publish", "--project", self.folder("other"), "--quiet")
        self.assertEqual(quiet.returncode, 0, quiet.stderr)
        self.assertEqual(len(quiet.stderr.splitlines()), 1, quiet.stderr)
        self.assertIn(": warning PTVSD034: ", quiet.stderr)

    def test_the_lock_and_config_are_named_where_they_were_created(self):
        folder, elsewhere = self.folder("empty"), self.folder("obj", "ptvsd-publish")
        result = run("publish", "--project", folder, "--debug-config-dir", elsewhere)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"created {os.path.join(elsewhere, CONFIG)} and {os.path.join(elsewhere, '.ptvsd-publish.lock')}",
                      result.stderr)

    def test_a_project_file_or_web_config_is_a_project(self):
        for name in ("site.pyproj", "Web.Config", "app.csproj"):
            with self.subTest(name=name):
                folder = self.folder(name.replace(".", "-"))
                with open(os.path.join(folder, name), "w") as f:
                    f.write("<configuration/>" if "config" in name.lower() else "<Project/>")
                result = run("publish", "--project", folder)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotIn("warning", result.stderr)

    def test_an_existing_web_debug_config_is_not_warned_about(self):
        folder = self.folder("again")
        run("publish", "--project", folder)
        result = run("publish", "--project", folder)
        self.assertNotIn("warning", result.stderr)


class JsonFileNameTest(ToolTest):
    def test_a_non_utf8_file_name_keeps_the_json_valid(self):
        folder = self.folder("site")
        self.assertEqual(run("publish", "--project", folder, "-q").returncode, 0)
        name = os.path.join(os.fsencode(folder), b"web.\xff.config")
        with open(os.path.join(os.fsencode(folder), CONFIG.encode()), "rb") as source, open(name, "wb") as copy:
            copy.write(source.read())
        for args in ((b"rotate", b"--format", b"json", name),
                     (b"rotate", b"--format", b"json", b"--reveal", name),
                     (b"check", b"--format", b"json", name)):
            with self.subTest(command=args[0], reveal=b"--reveal" in args):
                done = subprocess.run([os.fsencode(TOOL), *args], capture_output=True, timeout=60)
                document = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
                shown = os.fsdecode(name).encode("utf-8", "surrogateescape").replace(b"\xff", b"\xef\xbf\xbd")
                reported = document["written"] + [e["file"] for e in document["errors"]]
                reported += [s["for"] for s in document.get("secrets", [])]
                self.assertTrue(reported, document)
                for path in reported:
                    self.assertEqual(path.encode("utf-8"), shown)
