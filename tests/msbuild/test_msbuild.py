"""Real `dotnet publish` runs of examples/webapp with the msbuild/ targets, and of a fresh project
that gets the tool from a NuGet package built here. The XDT engine is the .NET SDK's own.

Environment: PTVSD_PUBLISH (the built tool; the proxy is expected beside it, as installed).
"""

import glob
import gzip
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.environ.get("PTVSD_PUBLISH", "")
BIN_DIR = os.path.dirname(TOOL)
PROXY = os.path.join(BIN_DIR, "ptvsd-proxy")
SECRET_PATTERN = re.compile(r'key="WSGI_PTVSD_SECRET"\s+value="([A-Za-z0-9_-]+)"')


def dotnet(*args, cwd, check=True):
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
               MSBUILDDISABLENODEREUSE="1")
    result = subprocess.run(["dotnet", *args, "-nodeReuse:false"], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"dotnet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def secret_of(path):
    with open(path, encoding="utf-8-sig") as f:
        values = SECRET_PATTERN.findall(f.read())
    assert len(values) == 1, f"{path}: {len(values)} secret settings"
    return values[0]


class Published:
    """What a publish left in the output folder, parsed."""

    def __init__(self, out):
        self.out = out
        self.root = ET.parse(os.path.join(out, "web.config")).getroot()

    def secrets(self):
        return [a.get("value") for a in self.root.findall("appSettings/add")
                if a.get("key") == "WSGI_PTVSD_SECRET"]

    def handlers(self):
        return list(self.root.find("system.webServer/handlers"))

    def ptvsd_handlers(self):
        return [h for h in self.handlers() if h.get("name") == "ptvsd"]


class WebAppPublish(unittest.TestCase):
    def setUp(self):
        self.assertTrue(TOOL and os.path.exists(TOOL), "set PTVSD_PUBLISH to the built tool")
        self.assertTrue(os.path.exists(PROXY), f"the proxy must be built beside the tool: {PROXY}")
        self.temp = tempfile.mkdtemp(prefix="ptvsd-msbuild-")
        if not os.environ.get("PTVSD_KEEP_TEMP"):
            self.addCleanup(shutil.rmtree, self.temp, True)
        self.project = os.path.join(self.temp, "webapp")
        shutil.copytree(os.path.join(ROOT, "examples", "webapp"), self.project)
        csproj = os.path.join(self.project, "webapp.csproj")
        with open(csproj, encoding="utf-8") as f:
            text = f.read()
        with open(csproj, "w", encoding="utf-8") as f:
            f.write(text.replace(r"..\..\msbuild", os.path.join(ROOT, "msbuild")))
        self.out = os.path.join(self.temp, "out")


    def publish(self, configuration="Debug", *extra, check=True):
        return dotnet("publish", "-c", configuration, "-o", self.out,
                      f"-p:PtvsdPublishToolPath={TOOL}", *extra, cwd=self.project, check=check)

    def debug_config(self):
        return os.path.join(self.project, "web.debug.config")

    def assert_published_once(self):
        published = Published(self.out)
        self.assertEqual(published.secrets(), [secret_of(self.debug_config())])
        handlers = published.handlers()
        self.assertEqual(len(published.ptvsd_handlers()), 1)
        names = [h.get("name") for h in handlers]
        self.assertLess(names.index("ptvsd"), names.index("PythonHandler"),
                        "the ptvsd handler must come before the catch-all")
        self.assertEqual(published.root.find("system.webServer/webSocket").get("enabled"), "true")
        rules = [r.get("name") for r in published.root.find("system.webServer/rewrite/rules")]
        self.assertEqual(rules[0], "ptvsd")
        self.assertEqual(rules.count("ptvsd"), 1)
        bin_dir = os.path.join(self.out, "bin")
        result = subprocess.run(["sha256sum", "-c", "ptvsd-proxy.sha256"], cwd=bin_dir,
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(os.access(os.path.join(bin_dir, "ptvsd-proxy"), os.X_OK))
        with open(PROXY, "rb") as a, open(os.path.join(bin_dir, "ptvsd-proxy"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        [platform] = published.root.findall("system.webServer/httpPlatform")
        self.assertIn("ptvsd-proxy", platform.get("processPath"))
        check = subprocess.run([TOOL, "check", "--publish-dir", self.out], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        return published

    def test_debug_publish_adds_one_secret_handler_and_the_proxy(self):
        result = self.publish()
        self.assert_published_once()
        secret = secret_of(self.debug_config())
        self.assertNotIn(secret, result.stdout + result.stderr)
        self.assertEqual(os.stat(self.debug_config()).st_mode & 0o777, 0o600)

    def test_publishing_twice_changes_the_secret_and_duplicates_nothing(self):
        self.publish()
        first = secret_of(self.debug_config())
        self.publish()
        self.assertNotEqual(secret_of(self.debug_config()), first)
        self.assert_published_once()

    def test_release_publish_changes_nothing(self):
        self.publish("Release")
        self.assertFalse(os.path.exists(self.debug_config()))
        self.assertFalse(os.path.exists(os.path.join(self.out, "bin", "ptvsd-proxy")))
        self.assertEqual(Published(self.out).secrets(), [])

    def test_opt_out_on_debug(self):
        self.publish("Debug", "-p:PtvsdPublishEnabled=false")
        self.assertFalse(os.path.exists(self.debug_config()))

    def test_user_owned_debug_config_keeps_every_byte_but_the_secret(self):
        mine = ('<?xml version="1.0"?>\r\n<!-- my own transform -->\r\n'
                '<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">\r\n'
                "  <appSettings>\r\n    <add key='WSGI_PTVSD_SECRET' value='old' xdt:Transform='Insert'/>\r\n"
                "  </appSettings>\r\n</configuration>\r\n")
        with open(self.debug_config(), "w", newline="") as f:
            f.write(mine)
        self.publish()
        with open(self.debug_config(), newline="") as f:
            after = f.read()
        secret = re.search(r"value='([^']*)'", after).group(1)
        self.assertNotEqual(secret, "old")
        self.assertEqual(after, mine.replace("value='old'", f"value='{secret}'"))
        self.assertEqual(Published(self.out).secrets(), [secret])

    def test_always_regenerate_rewrites_a_user_owned_file(self):
        with open(self.debug_config(), "w") as f:
            f.write("<configuration><appSettings><add key='WSGI_PTVSD_SECRET' value='old'/>"
                    "</appSettings></configuration>")
        self.publish("Debug", "-p:AlwaysRegenerateWebDebugConfig=true")
        with open(self.debug_config()) as f:
            self.assertIn("Generated by ptvsd-publish", f.read())
        self.assert_published_once()

    def test_capitalised_web_debug_config_is_used(self):
        os.makedirs(self.out)
        capitalised = os.path.join(self.project, "Web.Debug.config")
        with open(capitalised, "w") as f:
            f.write("<!-- Generated web.debug.config for Microsoft Azure. --><configuration/>")
        self.publish()
        self.assertFalse(os.path.exists(self.debug_config()), "no second, lower-case file")
        self.assertEqual(Published(self.out).secrets(), [secret_of(capitalised)])

    def snapshot(self):
        files = {}
        for folder in (self.project, self.out):
            for path in glob.glob(os.path.join(folder, "**"), recursive=True):
                if os.path.isfile(path) and "/obj/" not in path and "/bin/Debug/" not in path:
                    with open(path, "rb") as f:
                        files[path] = f.read()
        return files

    def assert_fails_with(self, result, pattern):
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stdout, pattern)

    def test_broken_template_fails_the_build_and_writes_nothing(self):
        self.publish()
        before = self.snapshot()
        broken = os.path.join(self.temp, "broken.config")
        with open(broken, "w") as f:
            f.write("<!-- Generated by ptvsd-publish -->\n<configuration>\n  <appSettings>\n</configuration>\n")
        result = self.publish("Debug", f"-p:PtvsdPublishTemplate={broken}", check=False)
        self.assert_fails_with(result, re.escape(broken) + r"\(4,\d+\): error PTVSD010: ")
        self.assertEqual(self.snapshot(), before)

    def test_broken_web_config_fails_the_build_and_writes_nothing(self):
        self.publish()
        with open(os.path.join(self.out, "web.config"), "a") as f:
            f.write("<oops>")  # the published copy is newer, so the publish keeps it
        before = self.snapshot()
        result = self.publish(check=False)
        self.assert_fails_with(result, r"web\.config\(\d+,\d+\): error PTVSD010: ")
        self.assertEqual(self.snapshot(), before)

    def test_missing_tool_names_the_property_to_set(self):
        result = self.publish("Debug", "-p:PtvsdPublishToolPath=/nonexistent/ptvsd-publish", check=False)
        self.assert_fails_with(result, r"error PTVSD090: .*PtvsdPublishToolPath")

    def test_binlog_and_diagnostic_output_do_not_hold_the_secret(self):
        binlog = os.path.join(self.temp, "publish.binlog")
        result = self.publish("Debug", f"-bl:{binlog}", "-v:diag")
        secret = secret_of(self.debug_config()).encode()
        self.assertNotIn(secret, (result.stdout + result.stderr).encode())
        with gzip.open(binlog) as f:
            raw = f.read()
        self.assertNotIn(secret, raw)
        self.assertNotIn(secret.decode().encode("utf-16-le"), raw)
        replay = os.path.join(self.temp, "replay.log")
        dotnet("msbuild", binlog, "-noconlog", f"-flp:logfile={replay};verbosity=diagnostic", cwd=self.temp)
        with open(replay, "rb") as f:
            self.assertNotIn(secret, f.read())
        self.assertEqual(Published(self.out).secrets(), [secret.decode()], "the publish did happen")


class NuGetPackage(unittest.TestCase):
    def test_one_package_reference_is_enough(self):
        with tempfile.TemporaryDirectory(prefix="ptvsd-nuget-") as temp:
            feed = os.path.join(temp, "feed")
            dotnet("pack", os.path.join(ROOT, "msbuild", "package", "PtvsdPublish.csproj"), "-o", feed,
                   f"-p:PtvsdPublishBinDir={BIN_DIR}", "--artifacts-path", os.path.join(temp, "artifacts"),
                   cwd=temp)
            project = os.path.join(temp, "site")
            shutil.copytree(os.path.join(ROOT, "examples", "webapp"), project)
            csproj = os.path.join(project, "webapp.csproj")
            with open(csproj, encoding="utf-8") as f:
                text = f.read()
            text = re.sub(r'\s*<Import Project="[^"]*PtvsdPublish.targets" />', "", text)
            text = text.replace("</Project>", '  <ItemGroup>\n    <PackageReference Include="PtvsdPublish" '
                                'Version="0.1.0" />\n  </ItemGroup>\n</Project>')
            with open(csproj, "w", encoding="utf-8") as f:
                f.write(text)
            with open(os.path.join(project, "nuget.config"), "w") as f:
                f.write('<configuration><packageSources><clear/>'
                        f'<add key="local" value="{feed}"/></packageSources></configuration>')
            env_home = os.path.join(temp, "packages")
            out = os.path.join(temp, "out")
            dotnet("publish", "-c", "Debug", "-o", out, f"-p:RestorePackagesPath={env_home}", cwd=project)
            published = Published(out)
            self.assertEqual(published.secrets(), [secret_of(os.path.join(project, "web.debug.config"))])
            self.assertEqual(len(published.ptvsd_handlers()), 1)
            result = subprocess.run(["sha256sum", "-c", "ptvsd-proxy.sha256"],
                                    cwd=os.path.join(out, "bin"), capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
