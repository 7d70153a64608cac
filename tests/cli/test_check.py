"""Black-box tests of `ptvsd-publish check`, run as a user or a pipeline would run it.

    cd tests/cli && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_check

What each finding is, where it is located and the fix it offers is decided by src/core/site_check
and tested there (tests/unit/site_check_test.cpp). This suite keeps what only a run shows: which
files check reads (--project, --publish-dir, positional files, the packaged proxy), the lowest
exit code over all findings and files, malformed input, usage and --help. Every run of `check` here is made twice, as text and as `--format json`, and both outputs are
compared (README "Output for machines"); every run also checks that no secret of the test was
printed and that nothing on disk changed. Standard library only.
"""

import hashlib
import json
import os
import re
import secrets
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import (CONFIG, KEY, CliTest, read, require_tool, run, secret_of, snapshot,  # noqa: E402
                      windows_program, write)

XDT_NS = "http://schemas.microsoft.com/XML-Document-Transform"
CLASSIC_TYPE = "Microsoft.PythonTools.Debugger.WebSocketProxy, Microsoft.PythonTools.WebRole"
WEB_ROLE_DLL = os.path.join("bin", "Microsoft.PythonTools.WebRole.dll")
PROXY = os.path.join("bin", "ptvsd-proxy.exe")
LINUX_PROXY = b"\x7fELF\x02\x01\x01 a Linux build of the proxy"
MANIFEST = PROXY + ".sha256"
READY = "remote debugging looks ready"

# Handlers of a deployed web.config.
CLASSIC = ('<add name="ptvsd" path="ptvsd" verb="*" resourceType="Unspecified" '
           f'type="{CLASSIC_TYPE}"/>')
PLATFORM = '<add name="ptvsd" path="ptvsd" verb="*" modules="httpPlatformHandler" resourceType="Unspecified"/>'
CATCH_ALL = '<add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either"/>'
FASTCGI = ('<add name="Python FastCGI" path="*" verb="*" modules="FastCgiModule" '
           'scriptProcessor="D:\\home\\python\\python.exe|D:\\home\\python\\wfastcgi.py" '
           'resourceType="Unspecified" requireAccess="Script"/>')
SOCKETS_ON = '<webSocket enabled="true"/>'
SOCKETS_OFF = '<webSocket enabled="false"/>'
HTTP_PLATFORM = ('<httpPlatform processPath=".\\bin\\ptvsd-proxy.exe" arguments="--port %HTTP_PLATFORM_PORT%" '
                 'requestTimeout="00:30:00"/>')
HTTP_PLATFORM_NO_TIMEOUT = '<httpPlatform processPath=".\\bin\\ptvsd-proxy.exe" arguments="--port %HTTP_PLATFORM_PORT%"/>'

# The words that make each finding's message a fix, not only a diagnosis (README: "Each problem is
# one line with its fix"). Searched in the message after its first ": ", where the fix is.
FIX = {
    "PTVSD101": r"\bpublish\b",
    "PTVSD102": r"\brotate\b",
    "PTVSD103": r"\brotate\b",
    "PTVSD104": r"\b(keep one|remove|delete)\b",
    "PTVSD110": r"\bpublish\b",
    "PTVSD111": r"\b(remove|delete)\b",
    "PTVSD112": r"\b(move|publish again)\b",
    "PTVSD113": r"\b(package|publish)\b",
    "PTVSD120": r"\bpublish\b",
    "PTVSD121": r"\bpublish\b",
    "PTVSD122": r"\bpublish\b",
    "PTVSD130": r"\b(set it to true|enable|delete|remove)\b",
    "PTVSD140": r"\b(use|replace|change|correct|rename|declare|add|fix)\b",
    "PTVSD150": r"\b(raise|set|increase)\b",
    "PTVSD151": r"\badd --timeout 1800\b",
    "PTVSD152": r"\bset requestTimeout=\"00:30:00\"",
}

# 'file(line,col): error PTVSDnnn: message', or 'file: ...' when the line is unknown.
FINDING = re.compile(r"^(?P<file>.+?)(?:\((?P<line>\d+),(?P<column>\d+)\))?: "
                     r"(?P<severity>error|warning) (?P<code>PTVSD\d{3}): (?P<message>.*)$")


def setUpModule():
    require_tool()


def new_secret(length=43):
    """A fresh base64url secret of `length` characters (43: 256 bits)."""
    return secrets.token_urlsafe(48)[:length]


def position(text, needle, occurrence=1):
    """Where the tool locates the element whose start tag begins with `needle` (the
    `occurrence`-th): its line, and the column of its name (the character after '<', as .NET's
    XmlReader and MSBuild report elements), counted in characters from 1."""
    assert needle.startswith("<"), needle
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line_start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at + 1 - line_start + 1


def setting(value, attributes=""):
    return f'<add key="{KEY}" value="{value}"{attributes}/>'


def debug_config(*settings, server="", root=f'xmlns:xdt="{XDT_NS}"'):
    """A user-owned web.debug.config (no generated-file marker) holding `settings`."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f"<configuration {root}>" if root else "<configuration>",
             "  <appSettings>"]
    lines += [f"    {s}" for s in settings]
    lines += ["  </appSettings>"]
    if server:
        lines += ["  <system.webServer>", f"    {server}", "  </system.webServer>"]
    lines += ["</configuration>", ""]
    return "\n".join(lines)


def good_setting(value):
    return setting(value, ' xdt:Transform="SetAttributes" xdt:Locator="Match(key)"')


def web_config(secret, handlers=(CLASSIC,), server=(SOCKETS_ON,), location=""):
    """A deployed (transformed) web.config."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <appSettings>"]
    if secret is not None:
        lines.append(f"    {setting(secret)}")
    lines += ["  </appSettings>", "  <system.webServer>"]
    lines += [f"    {s}" for s in server]
    lines.append("    <handlers>")
    lines += [f"      {h}" for h in handlers]
    lines += ["    </handlers>", "  </system.webServer>"]
    if location:
        lines.append(location)
    lines += ["</configuration>", ""]
    return "\n".join(lines)


def manifest_of(data, name="ptvsd-proxy.exe"):
    """The documented manifest: `sha256sum` format."""
    return f"{hashlib.sha256(data).hexdigest()}  {name}\n"


class CheckTest(CliTest):
    def setUp(self):
        super().setUp()
        self.secrets = []  # values that no run of check may print

    def secret(self, length=43):
        value = new_secret(length)
        self.secrets.append(value)
        return value

    # -- running -------------------------------------------------------------------------------

    def check(self, *args, cwd=None):
        """Runs `check ARGS` as text and as JSON; checks that both agree, that nothing on disk
        changed and that no secret was printed. Returns the text run, with `.findings` (parsed
        stderr lines) and `.json` (the parsed document)."""
        before = snapshot(self.tmp)
        text = run("check", *args, cwd=cwd)
        as_json = run("check", "--format", "json", *args, cwd=cwd)
        self.assertEqual(snapshot(self.tmp), before, "check must change nothing on disk")
        for secret in self.secrets:
            for stream in (text.stdout, text.stderr, as_json.stdout, as_json.stderr):
                if secret in stream:  # shown masked, so the test log does not repeat the leak
                    self.fail(f"check {' '.join(args)} printed a secret: "
                              f"{stream.replace(secret, '<SECRET>')!r}")

        context = f"\nexit {text.returncode}\nstdout: {text.stdout!r}\nstderr: {text.stderr!r}"
        self.assertNotIn(text.returncode, (1,), "internal error" + context)
        self.assertEqual(text.stdout, "", "text output goes to stderr" + context)
        text.findings = []
        for line in text.stderr.splitlines():
            match = FINDING.match(line)
            if match:
                # 'ptvsd-publish: error ...' involves no file: JSON's "file" is "".
                origin = "" if match["file"] == "ptvsd-publish" and not match["line"] else match["file"]
                text.findings.append((match["severity"], match["code"], origin,
                                      int(match["line"] or 0), int(match["column"] or 0),
                                      match["message"]))
        text.context = context

        # JSON: one document on one line on stdout, nothing on stderr, the same exit code.
        self.assertEqual(as_json.returncode, text.returncode, f"json: {as_json.stdout!r}" + context)
        self.assertEqual(as_json.stderr, "")
        self.assertTrue(as_json.stdout.endswith("\n"), as_json.stdout)
        self.assertEqual(as_json.stdout.count("\n"), 1, as_json.stdout)
        document = json.loads(as_json.stdout)
        self.assertEqual(document["command"], "check")
        self.assertIs(document["ok"], as_json.returncode == 0)
        self.assertEqual(document["exit_code"], as_json.returncode)
        self.assertEqual(document["written"], [])
        self.assertNotIn("secrets", document)
        for severity, key in (("error", "errors"), ("warning", "warnings")):
            entries = document[key]
            self.assertIsInstance(entries, list)
            for entry in entries:
                self.assertEqual(set(entry), {"code", "file", "line", "column", "message"}, entry)
                self.assertRegex(entry["code"], r"^PTVSD\d{3}$")
                self.assertIsInstance(entry["line"], int)
                self.assertIsInstance(entry["column"], int)
            self.assertEqual(
                [(e["code"], e["file"], e["line"], e["column"], e["message"]) for e in entries],
                [f[1:] for f in text.findings if f[0] == severity],
                f"json {key} differ from the text output" + context)
        text.json = document
        return text

    # -- assertions ----------------------------------------------------------------------------

    def assertExit(self, result, exit_code):
        self.assertEqual(result.returncode, exit_code, result.context)

    def assertClean(self, result):
        """Exit 0, no error, the ready note."""
        self.assertExit(result, 0)
        self.assertEqual([f for f in result.findings if f[0] == "error"], [], result.context)
        self.assertIn(READY, result.stderr)
        self.assertIs(result.json["ok"], True)
        self.assertEqual(result.json["errors"], [])

    def assertFinding(self, result, code, path, line=0, column=0, severity="error", fix=True):
        """One finding `code` at `path(line,col)` (0, 0: no line), whose message offers a fix
        (`fix=False`: checked by another test). Returns its message."""
        at = [f for f in result.findings if f[1] == code]
        self.assertTrue(at, f"no {code}" + result.context)
        here = [f for f in at if f[2:5] == (path, line, column)]
        self.assertTrue(here, f"{code} not at {path}({line},{column}): {at}" + result.context)
        finding = here[0]
        self.assertEqual(finding[0], severity, finding)
        message = finding[5]
        if fix:
            remedy = message.split(": ", 1)[1] if ": " in message else message
            self.assertRegex(remedy, FIX[code], f"{code} offers no fix: {message!r}")
        if severity == "error":
            self.assertNotIn(READY, result.stderr)
            self.assertIs(result.json["ok"], False)
        return message

    def assertNoFinding(self, result, *codes):
        for code in codes:
            self.assertEqual([f for f in result.findings if f[1] == code], [], f"unexpected {code}" + result.context)

    def assertCodes(self, result, codes):
        self.assertEqual(sorted(f[1] for f in result.findings), sorted(codes), result.context)

    # -- fixtures ------------------------------------------------------------------------------

    def project(self, text, name=CONFIG, folder="site"):
        """A project folder holding `text` as its web.debug.config; returns (folder, config path)."""
        project = self.folder(folder)
        config = os.path.join(project, name)
        write(config, text)
        return project, config

    def output(self, text, files=(), folder="out"):
        """A hand-made publish output: web.config plus bin/ files {relative path: bytes}."""
        out = self.folder(folder)
        self.folder(folder, "bin")
        write(os.path.join(out, "web.config"), text)
        for relative, data in dict(files).items():
            write(os.path.join(out, relative), data)
        return out

    def packaged_output(self, handlers=(PLATFORM,), server=(SOCKETS_ON, HTTP_PLATFORM)):
        """A publish output whose proxy and manifest were packaged by the real tool, and a
        web.config as the publish would have transformed it; returns (out, web.config text)."""
        project = self.folder("site")
        out = os.path.join(self.tmp, "out")
        proxy = os.path.join(self.tmp, "proxy-build")
        write(proxy, windows_program(bytes(range(256))), mode=0o755)
        published = run("publish", "--project", project, "--publish-dir", out, "--proxy", proxy)
        self.assertOk(published)
        self.assertTrue(os.path.isfile(os.path.join(out, PROXY)))
        self.assertTrue(os.path.isfile(os.path.join(out, MANIFEST)))
        self.secrets.append(secret_of(os.path.join(project, CONFIG)))
        text = web_config(self.secrets[-1], handlers, server)
        write(os.path.join(out, "web.config"), text)
        return out, text


# ----------------------------------------------------------------------------------------------
# --project: the project's web.debug.config


class ProjectTest(CheckTest):
    def test_no_web_debug_config(self):
        project = self.folder("site")
        result = self.check("--project", project)
        self.assertExit(result, 10)
        self.assertFinding(result, "PTVSD101", os.path.join(project, CONFIG))
        self.assertCodes(result, ["PTVSD101"])

    def test_default_project_is_the_current_folder(self):
        project = self.folder("site")
        self.assertExit(self.check(cwd=project), 10)
        self.assertOk(run("publish", "--project", project))
        self.secrets.append(secret_of(os.path.join(project, CONFIG)))
        self.assertClean(self.check(cwd=project))

    def test_after_publish_remote_debugging_looks_ready(self):
        project = self.generated_project("site")
        self.secrets.append(secret_of(os.path.join(project, CONFIG)))
        result = self.check("--project", project)
        self.assertClean(result)
        self.assertCodes(result, [])
        self.assertEqual(result.json["warnings"], [])

    def test_visual_studio_capitalised_name_is_found(self):
        project, _ = self.project(debug_config(good_setting(self.secret())), name="Web.Debug.config")
        self.assertClean(self.check("--project", project))

    def test_several_problems_exit_with_the_lowest_and_list_all(self):
        weak = self.secret(10) + "+/="
        self.secrets.append(weak)
        text = debug_config(setting(weak, ' xdt:Transform="Inserted"'),
                            good_setting(self.secret()),
                            server='<webSocket enabled="false" xdt:Transform="SetAttributes(enabled)"/>')
        project, config = self.project(text)
        result = self.check("--project", project)
        self.assertExit(result, 11)
        first, second = position(text, f'<add key="{KEY}"'), position(text, f'<add key="{KEY}"', 2)
        self.assertFinding(result, "PTVSD102", config, *first)
        self.assertFinding(result, "PTVSD103", config, *first)
        self.assertFinding(result, "PTVSD104", config, *second)
        self.assertFinding(result, "PTVSD130", config, *position(text, "<webSocket"))
        self.assertFinding(result, "PTVSD140", config, *first, fix=False)  # fix: test_unknown_transform_is_located
        self.assertCodes(result, ["PTVSD102", "PTVSD103", "PTVSD104", "PTVSD130", "PTVSD140"])
        self.assertEqual(len(result.json["errors"]), 5)

    def test_project_that_is_not_a_folder(self):
        # As for every command (README "Exit codes and errors": PTVSD033), not "publish to create it".
        not_a_folder = os.path.join(self.tmp, "file")
        write(not_a_folder, "x")
        for project in (not_a_folder, os.path.join(self.tmp, "missing")):
            with self.subTest(project=project):
                result = self.check("--project", project)
                self.assertExit(result, 4)
                self.assertEqual([f[1] for f in result.findings], ["PTVSD033"], result.context)


# ----------------------------------------------------------------------------------------------
# --publish-dir: a publish output


class PublishDirHandlerTest(CheckTest):
    def test_classic_handler_with_its_assembly_is_ready(self):
        out = self.output(web_config(self.secret(), (CLASSIC, CATCH_ALL)), {WEB_ROLE_DLL: b"MZ"})
        result = self.check("--publish-dir", out)
        self.assertClean(result)
        self.assertCodes(result, [])

    def test_classic_handler_without_its_assembly(self):
        text = web_config(self.secret(), (CLASSIC,))
        out = self.output(text)
        result = self.check("--publish-dir", out)
        self.assertExit(result, 23)
        message = self.assertFinding(result, "PTVSD113", os.path.join(out, "web.config"),
                                     *position(text, '<add name="ptvsd"'))
        self.assertIn("Microsoft.PythonTools.WebRole.dll", message)

    def test_output_of_a_linux_publish_before_win_x64_proxies_fails(self):
        # What publish on Linux used to leave: the Linux build as bin/ptvsd-proxy with its
        # manifest, under a web.config that starts .\bin\ptvsd-proxy.exe. IIS answers 502.5.
        text = web_config(self.secret(), (PLATFORM,), (SOCKETS_ON, HTTP_PLATFORM))
        linux_name = os.path.join("bin", "ptvsd-proxy")
        out = self.output(text, {linux_name: LINUX_PROXY,
                                 linux_name + ".sha256": manifest_of(LINUX_PROXY, "ptvsd-proxy")})
        result = self.check("--publish-dir", out)
        self.assertExit(result, 23)
        message = self.assertFinding(result, "PTVSD113", os.path.join(out, "web.config"),
                                     *position(text, '<add name="ptvsd"'))
        self.assertIn("bin/ptvsd-proxy.exe", message)
        self.assertIn("it holds bin/ptvsd-proxy,", message)
        self.assertFinding(result, "PTVSD120", os.path.join(out, PROXY))
        self.assertCodes(result, ["PTVSD113", "PTVSD120"])

    def test_http_platform_proxy_packaged_as_exe_is_found(self):
        proxy = windows_program(b"proxy")
        out = self.output(web_config(self.secret(), (PLATFORM,), (SOCKETS_ON, HTTP_PLATFORM)),
                          {PROXY: proxy, MANIFEST: manifest_of(proxy)})
        result = self.check("--publish-dir", out)
        self.assertClean(result)
        self.assertCodes(result, [])

    def test_linux_proxy_named_exe_is_not_a_program_the_site_runs(self):
        text = web_config(self.secret(), (PLATFORM,), (SOCKETS_ON, HTTP_PLATFORM))
        for label, proxy in (("ELF", LINUX_PROXY), ("text", b"MZ but no PE header"),
                             ("PE x86", windows_program()[:0x44] + b"\x4c\x01")):
            with self.subTest(label):
                out = self.output(text, {PROXY: proxy, MANIFEST: manifest_of(proxy)}, folder=label)
                result = self.check("--publish-dir", out)
                self.assertExit(result, 32)
                message = self.assertFinding(result, "PTVSD122", os.path.join(out, PROXY))
                self.assertIn("Windows x64", message)
                self.assertCodes(result, ["PTVSD122"])

    def test_several_problems_exit_with_the_lowest_and_list_all(self):
        text = web_config(self.secret(), (CATCH_ALL, CLASSIC, CLASSIC), (SOCKETS_OFF,))
        out = self.output(text, {WEB_ROLE_DLL: b"MZ"})
        config = os.path.join(out, "web.config")
        result = self.check("--publish-dir", out)
        self.assertExit(result, 21)
        self.assertFinding(result, "PTVSD111", config, *position(text, '<add name="ptvsd"', 2))
        self.assertFinding(result, "PTVSD112", config, *position(text, '<add name="ptvsd"'))
        self.assertFinding(result, "PTVSD130", config, *position(text, "<webSocket"))

    def test_project_and_publish_dir_together(self):
        project = self.generated_project("site")
        self.secrets.append(secret_of(os.path.join(project, CONFIG)))
        out = self.output(web_config(self.secret(), (CLASSIC,), (SOCKETS_OFF,)), {WEB_ROLE_DLL: b"MZ"})
        result = self.check("--project", project, "--publish-dir", out)
        self.assertExit(result, 40)
        self.assertCodes(result, ["PTVSD130"])

        write(os.path.join(project, CONFIG), debug_config(setting(self.secret(), ' xdt:Transform="Inserted"')))
        result = self.check("--project", project, "--publish-dir", out)
        self.assertExit(result, 40)
        self.assertCodes(result, ["PTVSD130", "PTVSD140"])

    def test_missing_web_config_is_a_file_system_error(self):
        out = self.folder("out")
        result = self.check("--publish-dir", out)
        self.assertExit(result, 4)
        self.assertEqual([f[1:3] for f in result.findings], [("PTVSD030", os.path.join(out, "web.config"))])


class PublishDirProxyTest(CheckTest):
    def test_proxy_packaged_by_publish_passes(self):
        out, _ = self.packaged_output()
        result = self.check("--publish-dir", out)
        self.assertClean(result)
        self.assertCodes(result, [])

    def test_proxy_packaged_by_publish_beside_a_classic_handler_passes(self):
        out, _ = self.packaged_output(handlers=(CLASSIC,), server=(SOCKETS_ON,))
        write(os.path.join(out, WEB_ROLE_DLL), b"MZ")
        self.assertClean(self.check("--publish-dir", out))

    def test_tampered_proxy(self):
        out, _ = self.packaged_output()
        proxy = os.path.join(out, PROXY)
        data = bytearray(read(proxy))
        data[len(data) // 2] ^= 0x01
        write(proxy, bytes(data))
        result = self.check("--publish-dir", out)
        self.assertExit(result, 31)
        self.assertFinding(result, "PTVSD121", os.path.join(out, MANIFEST), 1, 1)
        self.assertCodes(result, ["PTVSD121"])

    def test_missing_manifest(self):
        out, _ = self.packaged_output()
        os.remove(os.path.join(out, MANIFEST))
        result = self.check("--publish-dir", out)
        self.assertExit(result, 31)
        self.assertFinding(result, "PTVSD121", os.path.join(out, MANIFEST))
        self.assertCodes(result, ["PTVSD121"])

    def test_missing_proxy_with_its_manifest(self):
        out, _ = self.packaged_output(handlers=(CLASSIC,), server=(SOCKETS_ON,))
        write(os.path.join(out, WEB_ROLE_DLL), b"MZ")  # the handler itself is satisfied
        os.remove(os.path.join(out, PROXY))
        result = self.check("--publish-dir", out)
        self.assertExit(result, 30)
        self.assertFinding(result, "PTVSD120", os.path.join(out, PROXY))
        self.assertCodes(result, ["PTVSD120"])

    def test_missing_proxy_its_handler_needs(self):
        out, text = self.packaged_output()
        os.remove(os.path.join(out, PROXY))
        result = self.check("--publish-dir", out)
        self.assertExit(result, 23)
        self.assertFinding(result, "PTVSD113", os.path.join(out, "web.config"), *position(text, '<add name="ptvsd"'))
        self.assertFinding(result, "PTVSD120", os.path.join(out, PROXY))

    def test_web_sockets_off_with_a_packaged_proxy(self):
        out, text = self.packaged_output(server=(SOCKETS_OFF, HTTP_PLATFORM))
        result = self.check("--publish-dir", out)
        self.assertExit(result, 40)
        self.assertFinding(result, "PTVSD130", os.path.join(out, "web.config"), *position(text, "<webSocket"))
        self.assertCodes(result, ["PTVSD130"])


# ----------------------------------------------------------------------------------------------
# Warnings: request timeouts that end a paused debug session


class TimeoutWarningTest(CheckTest):
    def test_http_platform_without_request_timeout(self):
        proxy = windows_program(b"proxy")
        text = web_config(self.secret(), (PLATFORM,), (SOCKETS_ON, HTTP_PLATFORM_NO_TIMEOUT))
        out = self.output(text, {PROXY: proxy, MANIFEST: manifest_of(proxy)})
        result = self.check("--publish-dir", out)
        self.assertClean(result)
        self.assertFinding(result, "PTVSD150", os.path.join(out, "web.config"),
                           *position(text, "<httpPlatform"), severity="warning")
        self.assertCodes(result, ["PTVSD150"])
        self.assertRegex(result.stderr, r"(?m)^.*\(\d+,\d+\): warning PTVSD150: ")

    def test_warning_beside_an_error_keeps_the_error_exit(self):
        text = web_config(self.secret(), (FASTCGI, CLASSIC))
        out = self.output(text, {WEB_ROLE_DLL: b"MZ"})
        result = self.check("--publish-dir", out)
        self.assertExit(result, 22)
        self.assertFinding(result, "PTVSD150", os.path.join(out, "web.config"),
                           *position(text, '<add name="Python FastCGI"'), severity="warning")
        self.assertEqual([w["code"] for w in result.json["warnings"]], ["PTVSD150"])


# ----------------------------------------------------------------------------------------------
# Positional web.config files


class PositionalTest(CheckTest):
    def two_sites(self, b_text):
        a = self.folder("a")
        b = self.folder("b")
        self.folder("a", "bin")
        self.folder("b", "bin")
        write(os.path.join(a, "web.config"), web_config(self.secret(), (CLASSIC, FASTCGI)))
        write(os.path.join(a, WEB_ROLE_DLL), b"MZ")
        write(os.path.join(b, "web.config"), b_text)
        return os.path.join(a, "web.config"), os.path.join(b, "web.config")

    def test_two_clean_files(self):
        proxy = windows_program(b"proxy")
        a, b = self.two_sites(web_config(self.secret(), (PLATFORM,), (SOCKETS_ON, HTTP_PLATFORM)))
        write(os.path.join(os.path.dirname(b), PROXY), proxy)
        write(os.path.join(os.path.dirname(b), MANIFEST), manifest_of(proxy))
        result = self.check(a, b)
        self.assertClean(result)
        self.assertCodes(result, ["PTVSD150"])  # a's FastCGI handler
        self.assertFinding(result, "PTVSD150", a, *position(read(a).decode(), '<add name="Python FastCGI"'),
                           severity="warning")

    def test_finding_in_the_second_file_is_located_there(self):
        text = web_config(self.secret(), (CLASSIC,))
        a, b = self.two_sites(text)  # b has no bin/Microsoft.PythonTools.WebRole.dll; a has
        result = self.check(a, b)
        self.assertExit(result, 23)
        self.assertFinding(result, "PTVSD113", b, *position(text, '<add name="ptvsd"'))
        self.assertEqual([f[2] for f in result.findings if f[0] == "error"], [b])

    def test_lowest_exit_over_several_files(self):
        a, b = self.two_sites(web_config(self.secret(), (CLASSIC,), (SOCKETS_OFF,)))
        write(os.path.join(os.path.dirname(b), WEB_ROLE_DLL), b"MZ")
        write(a, web_config(self.secret(), (CATCH_ALL,)))
        result = self.check(a, b)
        self.assertExit(result, 20)
        self.assertFinding(result, "PTVSD110", a)
        self.assertFinding(result, "PTVSD130", b, *position(read(b).decode(), "<webSocket"))

    def test_missing_file(self):
        missing = os.path.join(self.tmp, "nope", "web.config")
        result = self.check(missing)
        self.assertExit(result, 4)
        self.assertEqual([f[1:3] for f in result.findings], [("PTVSD030", missing)])


# ----------------------------------------------------------------------------------------------
# Malformed input, usage


class MalformedTest(CheckTest):
    MALFORMED = ('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n'
                 '    <add key="x" value=1/>\n  </appSettings>\n</configuration>\n')

    def assertMalformed(self, result, path):
        self.assertExit(result, 3)
        self.assertEqual([f[1:4] for f in result.findings], [("PTVSD010", path, 4)], result.context)
        self.assertEqual(result.json["exit_code"], 3)
        self.assertEqual([e["code"] for e in result.json["errors"]], ["PTVSD010"])

    def test_malformed_published_web_config(self):
        out = self.output(self.MALFORMED)
        self.assertMalformed(self.check("--publish-dir", out), os.path.join(out, "web.config"))

    def test_malformed_positional_web_config(self):
        out = self.output(self.MALFORMED)
        config = os.path.join(out, "web.config")
        self.assertMalformed(self.check(config), config)

    def test_malformed_web_debug_config(self):
        project, config = self.project(self.MALFORMED)
        self.assertMalformed(self.check("--project", project), config)

    def test_malformed_secret_line_does_not_print_the_secret(self):
        value = self.secret()
        project, config = self.project(
            f'<configuration>\n<appSettings>\n<add key="{KEY}" value="{value}"/ oops>\n'
            '</appSettings>\n</configuration>\n')
        result = self.check("--project", project)  # check() asserts the secret is not printed
        self.assertExit(result, 3)
        self.assertEqual([f[1:4] for f in result.findings], [("PTVSD010", config, 3)])

    def test_unknown_option_is_a_usage_error(self):
        result = self.check("--bogus")
        self.assertExit(result, 2)
        self.assertEqual([f[1] for f in result.findings], ["PTVSD001"])


class HelpTest(unittest.TestCase):
    def test_help_lists_every_exit_code_of_the_readme_table(self):
        with open(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "README.md"),
                  encoding="utf-8") as f:
            table = re.findall(r"(?m)^\| (\d+) \| PTVSD1\d\d \|", f.read())
        self.assertEqual(len(table), 13, "the README's check table")
        result = run("check", "--help")
        self.assertEqual(result.returncode, 0)
        own = result.stdout.split("Exit codes of check", 1)
        self.assertEqual(len(own), 2, result.stdout)
        listed = re.findall(r"\b(\d+) [a-z]", own[1].split("\n\n", 1)[0])
        self.assertEqual(sorted(set(listed) - {"0"}, key=int), table)


# ----------------------------------------------------------------------------------------------
# The secret is never printed, whatever the finding


class SecretHygieneTest(CheckTest):
    def test_findings_about_the_secret_never_show_it(self):
        # check() fails the test if any value in self.secrets reaches stdout or stderr.
        weak = self.secret(12)
        unsafe = self.secret(30) + "+/="
        self.secrets.append(unsafe)
        first, second = self.secret(), self.secret()
        cases = {
            "weak": debug_config(good_setting(weak)),
            "not url-safe": debug_config(good_setting(unsafe)),
            "twice": debug_config(good_setting(first), good_setting(second)),
            "unknown transform": debug_config(setting(first, ' xdt:Transform="Inserted"')),
            "no namespace": debug_config(setting(first), root=""),
        }
        for name, text in cases.items():
            with self.subTest(case=name):
                project, _ = self.project(text, folder=name.replace(" ", "-"))
                self.assertNotEqual(self.check("--project", project).returncode, 0)
                self.assertNotEqual(self.check("--project", project, "--verbose").returncode, 0)

    def test_locator_that_quotes_the_secret_does_not_show_it(self):
        # A misspelt Condition locator that matches on the value: PTVSD140 must name the locator
        # without echoing the secret it holds.
        value = self.secret()
        text = debug_config(setting(value, f' xdt:Transform="Replace" xdt:Locator="Conditon(@value=\'{value}\')"'))
        project, config = self.project(text)
        result = self.check("--project", project)
        self.assertExit(result, 50)
        self.assertFinding(result, "PTVSD140", config, *position(text, f'<add key="{KEY}"'))

    def test_published_output_findings_never_show_the_secret(self):
        out, _ = self.packaged_output()
        os.remove(os.path.join(out, MANIFEST))
        self.assertExit(self.check("--publish-dir", out, "--verbose"), 31)
        config = os.path.join(out, "web.config")
        write(config, web_config(self.secrets[-1], (CLASSIC, CLASSIC)))
        self.assertNotEqual(self.check(config, "--verbose").returncode, 0)


if __name__ == "__main__":
    unittest.main()
