"""Output for machines and pipelines: --format json, --ci masking, --export, --secret-file,
--quiet/--verbose, and the README's GitHub Actions and Azure Pipelines examples run as the
runner would run their shell steps.

Run from this folder:  PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_pipelines
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import TOOL, ToolTest, require_tool, run, secret_of as secret_in  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_OUTPUT", "TF_BUILD", "GITLAB_CI", "RUNNER_TEMP",
                "BUILD_ARTIFACTSTAGINGDIRECTORY")


def setUpModule():
    require_tool()


def clean_environment(**extra):
    """This process's environment without any CI's markers (a test sets the ones it wants), and
    the tool on PATH, as the README's pipeline steps expect."""
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    env["PATH"] = os.path.dirname(TOOL) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def lines_with(text, value):
    return [line for line in text.splitlines() if value in line]


class Workspace(ToolTest):
    temp_prefix = "ptvsd-pipelines-"

    def setUp(self):
        super().setUp()
        self.root = self.tmp
        self.site = os.path.join(self.root, "site")
        shutil.copytree(os.path.join(ROOT, "examples", "webapp"), self.site)
        self.config = os.path.join(self.site, "web.debug.config")

    def tool(self, *args, cwd=None, **env):
        """The tool, outside any CI but for the variables in `env`."""
        return run(*args, cwd=cwd, env=clean_environment(**env))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def assert_masked_first(self, stdout, secret, mask_prefix):
        """Every stdout line holding the secret comes after the line that masks it."""
        holding = lines_with(stdout, secret)
        self.assertTrue(holding, "nothing revealed")
        self.assertEqual(holding[0], mask_prefix + secret)


class JsonOutput(Workspace):
    def parse(self, result):
        self.assertEqual(result.stderr, "", "JSON mode keeps stderr empty")
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        document = json.loads(lines[0])
        self.assertEqual(document["exit_code"], result.returncode)
        self.assertEqual(document["ok"], result.returncode == 0)
        for key, kind in (("command", str), ("written", list), ("secret_bits", int),
                          ("warnings", list), ("errors", list)):
            self.assertIsInstance(document[key], kind, key)
        return document

    def test_publish(self):
        document = self.parse(self.tool("publish", "--project", self.site, "--format", "json"))
        self.assertEqual(document["command"], "publish")
        self.assertEqual(document["written"], [self.config])
        self.assertEqual(document["template"], "native")
        self.assertEqual(document["secret_bits"], 256)
        self.assertNotIn("secrets", document)
        self.assertNotIn(secret_in(self.config), json.dumps(document))

    def test_publish_reveal(self):
        document = self.parse(self.tool("publish", "--project", self.site, "--format=json", "--reveal"))
        self.assertEqual(document["secrets"], [{"for": self.config, "value": secret_in(self.config)}])

    def test_rotate_two_files(self):
        self.tool("publish", "--project", self.site)
        other = self.path("web.config")
        shutil.copy(self.config, other)
        document = self.parse(self.tool("rotate", self.config, other, "--format", "json", "--reveal",
                                  "--secret-bytes", "16"))
        self.assertEqual(document["written"], [self.config, other])
        self.assertEqual(document["secret_bits"], 128)
        self.assertEqual([s["value"] for s in document["secrets"]], [secret_in(self.config), secret_in(other)])

    def test_url(self):
        self.tool("publish", "--project", self.site)
        document = self.parse(self.tool("url", "--site", "app", "--config", self.config, "--format", "json"))
        self.assertEqual(document["secrets"], [{"for": "url", "value":
                                                f"wss://{secret_in(self.config)}:@app.azurewebsites.net/ptvsd"}])

    def test_errors_are_json_too(self):
        with open(self.config, "w") as f:
            f.write("<configuration>\n  <appSettings>\n</configuration>\n")
        document = self.parse(self.tool("publish", "--project", self.site, "--format", "json"))
        self.assertEqual(document["exit_code"], 3)
        [error] = document["errors"]
        self.assertEqual((error["code"], error["file"], error["line"]), ("PTVSD010", self.config, 3))
        self.assertGreater(error["column"], 0)
        self.assertTrue(error["message"])

    def test_usage_errors_are_json_too(self):
        document = self.parse(self.tool("publish", "--no-such-option", "--format", "json"))
        self.assertEqual(document["exit_code"], 2)
        self.assertEqual(document["errors"][0]["code"], "PTVSD001")

    def test_warnings(self):
        with open(self.config, "w") as f:
            f.write("<configuration/>")
        document = self.parse(self.tool("publish", "--project", self.site, "--format", "json"))
        self.assertEqual([w["code"] for w in document["warnings"]], ["PTVSD013"])
        self.assertEqual(document["written"], [])


class Masking(Workspace):
    def test_no_ci_reveal_prints_the_secret_alone(self):
        result = self.tool("publish", "--project", self.site, "--reveal")
        self.assertEqual(result.stdout, secret_in(self.config) + "\n")

    def test_github_and_azure_mask_before_revealing(self):
        for ci, prefix in (("github", "::add-mask::"), ("azure", "##vso[task.setsecret]")):
            with self.subTest(ci=ci):
                result = self.tool("publish", "--project", self.site, "--reveal", "--ci", ci)
                self.assert_masked_first(result.stdout, secret_in(self.config), prefix)
                self.assertNotIn(secret_in(self.config), result.stderr)

    def test_auto_reads_each_ci_variable(self):
        for variable, value, prefix in (("GITHUB_ACTIONS", "true", "::add-mask::"),
                                        ("TF_BUILD", "True", "##vso[task.setsecret]")):
            with self.subTest(variable=variable):
                result = self.tool("publish", "--project", self.site, "--reveal", "--ci", "auto", **{variable: value})
                self.assert_masked_first(result.stdout, secret_in(self.config), prefix)
        result = self.tool("publish", "--project", self.site, "--reveal", "--ci", "auto")
        self.assertEqual(result.stdout, secret_in(self.config) + "\n", "outside CI: nothing to mask")

    def test_json_output_is_masked_too(self):
        result = self.tool("publish", "--project", self.site, "--reveal", "--ci", "github", "--format", "json")
        self.assert_masked_first(result.stdout, secret_in(self.config), "::add-mask::")
        self.assertEqual(json.loads(result.stdout.splitlines()[-1])["secrets"][0]["value"], secret_in(self.config))

    def test_gitlab_cannot_mask_and_says_so(self):
        result = self.tool("publish", "--project", self.site, "--reveal", "--ci", "auto", GITLAB_CI="true")
        self.assertEqual(result.stdout, secret_in(self.config) + "\n")
        self.assertRegex(result.stderr, r"warning PTVSD080: GitLab")

    def test_nothing_masked_or_printed_unless_asked(self):
        result = self.tool("publish", "--project", self.site, "--ci", "github")
        self.assertEqual(result.stdout, "")
        self.assertNotIn(secret_in(self.config), result.stderr)

    def test_bad_ci_name(self):
        result = self.tool("publish", "--project", self.site, "--ci", "jenkins")
        self.assertEqual(result.returncode, 2)
        self.assertFalse(os.path.exists(self.config))


class Export(Workspace):
    def test_github_output(self):
        output = self.path("github_output")
        with open(output, "w") as f:
            f.write("earlier=1\n")
        result = self.tool("publish", "--project", self.site, "--ci", "github", "--export", "ptvsd_secret",
                     GITHUB_OUTPUT=output)
        self.assertEqual(result.returncode, 0, result.stderr)
        secret = secret_in(self.config)
        with open(output) as f:
            self.assertEqual(f.read(), f"earlier=1\nptvsd_secret={secret}\n")
        self.assertEqual(lines_with(result.stdout, secret), ["::add-mask::" + secret])
        self.assertNotIn(secret, result.stderr)

    def test_azure_secret_variable(self):
        self.tool("publish", "--project", self.site)
        result = self.tool("rotate", "--ci", "azure", "--export", "PTVSD_SECRET", self.config)
        secret = secret_in(self.config)
        self.assertEqual(lines_with(result.stdout, secret), [
            "##vso[task.setsecret]" + secret,
            f"##vso[task.setvariable variable=PTVSD_SECRET;issecret=true]{secret}"])

    def test_refused_before_anything_is_written(self):
        cases = [
            (("--export", "X"), {}),                                   # no CI
            (("--export", "X", "--ci", "gitlab"), {}),                 # GitLab cannot
            (("--export", "bad name", "--ci", "azure"), {}),           # not a variable name
            (("--export", "X", "--ci", "github"), {}),                 # no $GITHUB_OUTPUT
        ]
        for args, env in cases:
            with self.subTest(args=args):
                result = self.tool("publish", "--project", self.site, *args, **env)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertFalse(os.path.exists(self.config))

    def test_two_secrets_cannot_be_exported(self):
        self.tool("publish", "--project", self.site)
        other = self.path("web.config")
        shutil.copy(self.config, other)
        before = [secret_in(self.config), secret_in(other)]
        result = self.tool("rotate", "--ci", "azure", "--export", "S", self.config, other)
        self.assertEqual(result.returncode, 2)
        self.assertEqual([secret_in(self.config), secret_in(other)], before)
        result = self.tool("rotate", "--ci", "azure", "--export", "S", "--same-secret", self.config, other)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(secret_in(self.config), secret_in(other))


class SecretFile(Workspace):
    def test_writes_the_secret_alone_to_a_private_file(self):
        target = self.path("secret")
        result = self.tool("publish", "--project", self.site, "--secret-file", target)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(target) as f:
            self.assertEqual(f.read(), secret_in(self.config))
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)
        self.assertEqual(result.stdout, "")

    def test_refuses_an_existing_file_before_writing_anything(self):
        target = self.path("secret")
        with open(target, "w") as f:
            f.write("keep")
        result = self.tool("publish", "--project", self.site, "--secret-file", target)
        self.assertEqual(result.returncode, 4)
        self.assertRegex(result.stderr, re.escape(target) + r": error PTVSD031: ")
        self.assertFalse(os.path.exists(self.config))
        with open(target) as f:
            self.assertEqual(f.read(), "keep")

    def test_url_into_a_file_prints_nothing(self):
        self.tool("publish", "--project", self.site)
        target = self.path("url")
        result = self.tool("url", "--site", "app", "--config", self.config, "--secret-file", target)
        self.assertEqual(result.stdout, "")
        with open(target) as f:
            self.assertEqual(f.read(), f"wss://{secret_in(self.config)}:@app.azurewebsites.net/ptvsd")


class Verbosity(Workspace):
    def test_quiet_prints_nothing_on_success_but_still_warns(self):
        self.assertEqual(self.tool("publish", "--project", self.site, "--quiet").stderr, "")
        with open(self.config, "w") as f:
            f.write("<configuration/>")
        self.assertIn("warning PTVSD013", self.tool("publish", "--project", self.site, "-q").stderr)

    def test_verbose_says_what_was_decided(self):
        result = self.tool("publish", "--project", self.site, "--verbose")
        self.assertIn("template ", result.stderr)
        self.assertIn(": absent", result.stderr)
        result = self.tool("publish", "--project", self.site, "-v")
        self.assertIn(": has the generated-file marker", result.stderr)


class Colours(Workspace):
    def stderr_at_a_terminal(self, **env):
        import pty
        with open(self.config, "w") as f:
            f.write("<configuration/>")  # gives a warning to colour
        leader, follower = pty.openpty()
        try:
            subprocess.run([TOOL, "publish", "--project", self.site], stdout=subprocess.DEVNULL,
                           stderr=follower, env=clean_environment(**env), timeout=60)
            os.close(follower)
            return os.read(leader, 65536).decode()
        finally:
            os.close(leader)

    def test_coloured_only_at_a_terminal_and_never_with_no_color(self):
        self.assertIn("\x1b[1;33mwarning\x1b[0m PTVSD013", self.stderr_at_a_terminal())
        self.assertIn(": warning PTVSD013", self.stderr_at_a_terminal(NO_COLOR="1"))
        self.assertNotIn("\x1b[", self.stderr_at_a_terminal(NO_COLOR="1"))
        self.assertIn("\x1b[", self.stderr_at_a_terminal(NO_COLOR=""), "an empty NO_COLOR does not count")
        piped = self.tool("publish", "--project", self.site)
        self.assertNotIn("\x1b[", piped.stderr)
        self.assertIn(": warning PTVSD013", piped.stderr)


def readme_pipeline(kind):
    """The shell steps of the README's GitHub (kind='github') or Azure ('azure') example."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    section = readme[readme.index("## Pipelines"):]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    block = next(b for b in blocks if f"--ci {kind}" in b)  # not the install examples before it
    key = "run" if kind == "github" else "script"
    steps = []
    lines = block.splitlines()
    for i, line in enumerate(lines):
        match = re.match(rf"^(\s*(?:- )?){key}: (.*)$", line)
        if not match:
            continue
        if match.group(2) != "|":
            steps.append(match.group(2))
            continue
        key_column = len(match.group(1))  # the body is indented deeper than the key itself
        body = []
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= key_column:
                break
            body.append(following.strip())
        steps.append("\n".join(body))
    assert steps, f"no {key}: steps in the README's {kind} example"
    return steps


class ReadmePipelines(Workspace):
    def run_steps(self, steps, env):
        results = []
        for step in steps:
            result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step], cwd=self.root,
                                    env=clean_environment(**env), capture_output=True, text=True, timeout=120)
            self.assertEqual(result.returncode, 0, f"step failed: {step}\n{result.stdout}\n{result.stderr}")
            results.append(result)
        return results

    def test_github_actions_example(self):
        output, runner_temp = self.path("github_output"), self.path("runner_temp")
        open(output, "w").close()
        os.mkdir(runner_temp)
        first, second = self.run_steps(readme_pipeline("github"), {
            "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": output, "RUNNER_TEMP": runner_temp})
        secret = secret_in(self.config)
        with open(output) as f:
            self.assertEqual(f.read(), f"secret={secret}\n")
        for result in (first, second):
            self.assertEqual(lines_with(result.stdout, secret), ["::add-mask::" + secret])
            self.assertNotIn(secret, result.stderr)
        url_file = os.path.join(runner_temp, "ptvsd-url")
        with open(url_file) as f:
            self.assertEqual(f.read(), f"wss://{secret}:@my-python-app.azurewebsites.net/ptvsd")
        self.assertEqual(stat.S_IMODE(os.stat(url_file).st_mode), 0o600)
        self.assertIn("remote debugging looks ready", first.stderr)

    def test_azure_pipelines_example(self):
        staging = self.path("staging")
        os.mkdir(staging)
        first, second = self.run_steps(readme_pipeline("azure"), {
            "TF_BUILD": "True", "BUILD_ARTIFACTSTAGINGDIRECTORY": staging})
        secret = secret_in(self.config)
        self.assertEqual(lines_with(first.stdout, secret), [
            "##vso[task.setsecret]" + secret,
            f"##vso[task.setvariable variable=PTVSD_SECRET;issecret=true]{secret}"])
        self.assertEqual(lines_with(second.stdout, secret), [
            "##vso[task.setsecret]" + secret, f"wss://{secret}:@my-python-app.azurewebsites.net/ptvsd"])
        with open(os.path.join(staging, "ptvsd-check.json")) as f:
            check = json.load(f)
        self.assertEqual((check["command"], check["ok"]), ("check", True))
        self.assertNotIn(secret, first.stderr + second.stderr)


if __name__ == "__main__":
    unittest.main()
