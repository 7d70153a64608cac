"""Real `dotnet publish` runs with the msbuild/ targets and the .NET SDK's own XDT engine: projects
that get the tool from a NuGet package built here (the publish matrix), and examples/webapp with
the targets imported from the source tree.

Environment: PTVSD_PUBLISH (the built tool; the proxy is expected beside it, as installed).
PTVSD_MSBUILD_JOBS: how many publish sequences run at once (default 2; each is one MSBuild).
PTVSD_MATRIX: the matrix's sequences to run, as kind:way pairs (default: all five).
"""

import concurrent.futures
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import read  # noqa: E402
from msbuild_project import BIN_DIR, PROXY, ROOT, TOOL, Feed, Project, assert_proxy_packaged, dotnet, secret_of  # noqa: E402

JOBS = int(os.environ.get("PTVSD_MSBUILD_JOBS", "2"))
# Where the README says a Debug publish with the default settings keeps the secret.
GENERATED = os.path.join("obj", "ptvsd-publish", "web.debug.config")


def files_below(folder):
    return [p for p in glob.glob(os.path.join(folder, "**"), recursive=True, include_hidden=True)
            if os.path.isfile(p)]


def error_count(output):
    """The distinct errors reported (a console logger with a summary prints each twice)."""
    return len({line for line in output.splitlines() if re.search(r": error [A-Z]+[0-9]+: ", line)})


def in_parallel(jobs):
    """Runs the callables JOBS at a time; raises one AssertionError naming every failure."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        futures = {pool.submit(job): name for name, job in jobs.items()}
        failures = []
        for future in concurrent.futures.as_completed(futures):
            try:
                future.result()
            except Exception as error:  # every failure is reported, not only the first
                failures.append(f"--- {futures[future]}:\n{error}")
    if failures:
        raise AssertionError("\n".join(sorted(failures)))


class Published:
    """What a publish left in the output folder, parsed."""

    def __init__(self, out):
        self.out = out
        self.text = read(os.path.join(out, "web.config"))
        self.root = ET.fromstring(self.text)

    def secrets(self):
        return [a.get("value") for a in self.root.iter("add") if a.get("key") == "WSGI_PTVSD_SECRET"]

    def handlers(self):
        return [h for handlers in self.root.iter("handlers") for h in handlers if h.tag == "add"]

    def ptvsd_handlers(self):
        return [h for h in self.handlers() if h.get("name") == "ptvsd"]


def assert_no_debug_bits(out, source_web_config=None):
    published = Published(out)
    assert b"ptvsd" not in published.text.lower(), f"debug bits in a non-Debug web.config:\n{published.text.decode()}"
    if source_web_config:
        assert published.text == read(source_web_config), "web.config is not its source"
    stale = glob.glob(os.path.join(out, "bin", "ptvsd-proxy*"))
    assert not stale, f"proxy files left: {stale}"


def assert_secrets_only_where_named(secrets, folders, allowed):
    for folder in folders:
        for path in files_below(folder):
            if os.path.abspath(path) in allowed:
                continue
            data = read(path)
            for secret in secrets:
                assert secret.encode() not in data, f"a secret in {path}"


def assert_binlog_clean(binlog, secrets):
    with gzip.open(binlog) as f:
        raw = f.read()
    for secret in secrets:
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw, f"a secret in {binlog}"


def tearDownModule():
    Feed.remove()


class PublishMatrix(unittest.TestCase):
    """Debug -> Release -> Debug -> opted out into one folder, for each project kind and way of
    publishing, every step asserted on the output, the project and the binary log."""

    def setUp(self):
        self.assertTrue(TOOL and os.path.exists(TOOL), "set PTVSD_PUBLISH to the built tool")
        self.assertTrue(os.path.exists(PROXY), f"the win-x64 proxy must be in the build tree (configure with PTVSD_SITE_PROXY): {PROXY}")
        self.temp = tempfile.mkdtemp(prefix="ptvsd-matrix-")
        if not os.environ.get("PTVSD_KEEP_TEMP"):
            self.addCleanup(shutil.rmtree, self.temp, True)

    def sequence(self, kind, way):
        temp = os.path.join(self.temp, f"{kind}-{way}")
        os.makedirs(temp)
        project = Project(temp, kind)
        if way == "profile":
            # `dotnet publish` reads PublishRelease before restoring; see the README.
            dotnet("restore", cwd=project.dir)
        generated = os.path.join(project.dir, GENERATED)
        secrets = []
        steps = [("Debug", True, ()), ("Release", False, ()), ("Debug", True, ()),
                 ("Debug", False, ("-p:PtvsdPublishEnabled=false",))]
        for number, (configuration, debug, extra) in enumerate(steps, 1):
            where = f"step {number} ({configuration}{' opted out' if extra else ''})"
            binlog = os.path.join(temp, f"{number}.binlog")
            result = project.publish(way, configuration, *extra, binlog=binlog)
            self.assertNotIn("CS2008", result.stdout, "the project compiles nothing, without a warning")
            allowed = set()
            try:
                if debug:
                    secret = secret_of(generated)
                    self.assertNotIn(secret, secrets, "a new secret every Debug publish")
                    secrets.append(secret)
                    published = Published(project.out)
                    self.assertEqual(published.secrets(), [secret])
                    self.assertEqual(len(published.ptvsd_handlers()), 1)
                    names = [h.get("name") for h in published.handlers()]
                    self.assertIn("PythonHandler" if kind != "webgen" else "aspNetCore", names,
                                  "the site's own handler (the SDK's, for a generated web.config) is kept")
                    assert_proxy_packaged(project.out)
                    allowed = {os.path.abspath(generated), os.path.abspath(os.path.join(project.out, "web.config"))}
                else:
                    assert_no_debug_bits(project.out, project.web_config() if kind == "plain" else None)
                    if os.path.exists(generated):
                        allowed = {os.path.abspath(generated)}
                self.assertFalse([p for p in files_below(project.out)
                                  if os.path.basename(p).lower() == "web.debug.config"])
                assert_secrets_only_where_named(secrets, [project.out, project.dir], allowed)
                assert_binlog_clean(binlog, secrets)
            except AssertionError as error:
                raise AssertionError(f"{kind}, {way}, {where}: {error}") from None

    def test_every_sequence_leaves_debug_bits_only_in_debug_outputs(self):
        # PTVSD_MATRIX="plain:cli web:profile" runs only those (a developer's loop).
        wanted = os.environ.get("PTVSD_MATRIX", "plain:cli web:cli webgen:cli plain:profile web:profile")
        in_parallel({entry: (lambda kind=entry.split(":")[0], way=entry.split(":")[1]: self.sequence(kind, way))
                     for entry in wanted.split()})

    def malformed(self, kind):
        temp = os.path.join(self.temp, f"malformed-{kind}")
        os.makedirs(temp)
        project = Project(temp, kind)
        with open(project.web_config(), "w") as f:
            f.write('<?xml version="1.0"?>\n<configuration>\n  <appSettings>\n  </appSetings>\n</configuration>\n')
        result = project.publish("cli", "Debug", check=False)
        output = result.stdout + result.stderr
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(error_count(output), 1, output)
        self.assertRegex(output, re.escape(project.web_config()) + r"\(4,\d+\): error PTVSD010: ")
        self.assertNotIn("MSB3073", output)

    def test_a_malformed_web_config_is_one_error_in_the_projects_own_file(self):
        in_parallel({kind: (lambda kind=kind: self.malformed(kind)) for kind in ("plain", "web")})

    def test_web_sdk_never_publishes_a_users_web_debug_config(self):
        # The Web SDK's Content glob takes every *.config; a user-owned web.Debug.config holds the
        # live secret after a Debug publish. Spelt so, the SDK applies it too (web.$(Configuration)
        # .config, found even on Linux): once is enough.
        project = Project(self.temp, "web")
        mine = os.path.join(project.dir, "web.Debug.config")
        with open(mine, "w") as f:
            f.write('<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">'
                    '<appSettings><add key="WSGI_PTVSD_SECRET" value="old" xdt:Transform="Insert"/>'
                    "</appSettings></configuration>")
        project.publish("cli", "Debug")
        secret = secret_of(mine)
        published = Published(project.out)
        self.assertEqual(published.secrets(), [secret])
        self.assertFalse([p for p in files_below(project.out) if os.path.basename(p).lower() == "web.debug.config"])
        self.assertEqual(len(published.ptvsd_handlers()), 0, "a user's transform adds only what it says")
        assert_secrets_only_where_named([secret], [project.out, project.dir],
                                        {os.path.abspath(mine), os.path.join(project.out, "web.config")})

    def test_a_debug_publish_changes_no_tracked_file(self):
        project = Project(self.temp, "plain")
        git = lambda *args: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                                           cwd=project.dir, capture_output=True, text=True, check=True).stdout
        git("init", "-q")
        with open(os.path.join(project.dir, ".gitignore"), "w") as f:
            f.write("bin/\nobj/\n")  # what every .NET project's .gitignore has already
        git("add", "-A")
        git("commit", "-qm", "site")
        result = project.publish("cli", "Debug")
        self.assertEqual(git("status", "--porcelain"), "", "a Debug publish changed the source tree")
        self.assertNotIn("PTVSD092", result.stdout)
        # A tracked web.debug.config of the user's own now holds a live secret: say so.
        mine = os.path.join(project.dir, "web.debug.config")
        with open(mine, "w") as f:
            f.write('<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">'
                    '<appSettings><add key="WSGI_PTVSD_SECRET" value="old" xdt:Transform="Insert"/>'
                    "</appSettings></configuration>")
        git("add", "web.debug.config")
        git("commit", "-qm", "my transform")
        result = project.publish("cli", "Debug")
        warnings = {line for line in result.stdout.splitlines() if "warning PTVSD092" in line}
        self.assertEqual(len(warnings), 1, result.stdout)
        self.assertRegex(warnings.pop(), "^" + re.escape(mine) + r" ?: warning PTVSD092: ")
        self.assertEqual(Published(project.out).secrets(), [secret_of(mine)])


class WebAppPublish(unittest.TestCase):
    """examples/webapp with the targets imported from the source tree."""

    def setUp(self):
        self.assertTrue(TOOL and os.path.exists(TOOL), "set PTVSD_PUBLISH to the built tool")
        self.temp = tempfile.mkdtemp(prefix="ptvsd-msbuild-")
        if not os.environ.get("PTVSD_KEEP_TEMP"):
            self.addCleanup(shutil.rmtree, self.temp, True)
        self.project = os.path.join(self.temp, "webapp")
        shutil.copytree(os.path.join(ROOT, "examples", "webapp"), self.project)
        csproj = os.path.join(self.project, "webapp.csproj")
        with open(csproj, encoding="utf-8") as f:
            text = f.read()
        with open(csproj, "w", encoding="utf-8") as f:
            # The targets also name ptvsd_site.py, beside them: ROOT/python.
            f.write(text.replace(r"..\..\msbuild", os.path.join(ROOT, "msbuild")))
        self.out = os.path.join(self.temp, "out")

    def publish(self, configuration="Debug", *extra, check=True):
        return dotnet("publish", "-c", configuration, "-o", self.out, f"-p:PtvsdPublishToolPath={TOOL}",
                      f"-p:PtvsdPublishProxyPath={PROXY}", *extra, cwd=self.project, check=check)

    def generated(self):
        return os.path.join(self.project, GENERATED)

    def test_user_owned_debug_config_keeps_every_byte_but_the_secret(self):
        mine = ('<?xml version="1.0"?>\r\n<!-- my own transform -->\r\n'
                '<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">\r\n'
                "  <appSettings>\r\n    <add key='WSGI_PTVSD_SECRET' value='old' xdt:Transform='Insert'/>\r\n"
                "  </appSettings>\r\n</configuration>\r\n")
        path = os.path.join(self.project, "web.debug.config")
        with open(path, "w", newline="") as f:
            f.write(mine)
        self.publish()
        with open(path, newline="") as f:
            after = f.read()
        secret = re.search(r"value='([^']*)'", after).group(1)
        self.assertNotEqual(secret, "old")
        self.assertEqual(after, mine.replace("value='old'", f"value='{secret}'"))
        self.assertEqual(Published(self.out).secrets(), [secret])
        self.assertFalse(os.path.exists(self.generated()), "the user's file is the one used")
        self.assertTrue(os.path.isfile(os.path.join(self.out, "ptvsd_site.py")), "app.py imports it")

    def test_always_regenerate_rewrites_a_user_owned_file(self):
        path = os.path.join(self.project, "web.debug.config")
        with open(path, "w") as f:
            f.write("<configuration><appSettings><add key='WSGI_PTVSD_SECRET' value='old'/>"
                    "</appSettings></configuration>")
        self.publish("Debug", "-p:AlwaysRegenerateWebDebugConfig=true")
        with open(path) as f:
            self.assertIn("Generated by ptvsd-publish", f.read())
        published = Published(self.out)
        self.assertEqual(published.secrets(), [secret_of(path)])
        self.assertEqual(len(published.ptvsd_handlers()), 1)

    def test_visual_studio_generated_file_is_migrated_in_place(self):
        capitalised = os.path.join(self.project, "Web.Debug.config")
        with open(capitalised, "w") as f:
            f.write("<!-- Generated web.debug.config for Microsoft Azure. --><configuration/>")
        self.publish()
        self.assertFalse(os.path.exists(os.path.join(self.project, "web.debug.config")), "no second, lower-case file")
        self.assertFalse(os.path.exists(self.generated()), "no second file under obj/")
        published = Published(self.out)
        self.assertEqual(published.secrets(), [secret_of(capitalised)])
        self.assertEqual(len(published.ptvsd_handlers()), 1)

    def snapshot(self):
        return {path: read(path) for folder in (self.project, self.out)
                for path in files_below(folder)
                if "/obj/" not in path or "/obj/ptvsd-publish/" in path}

    def test_broken_template_fails_the_build_and_writes_nothing(self):
        self.publish()
        before = self.snapshot()
        broken = os.path.join(self.temp, "broken.config")
        with open(broken, "w") as f:
            f.write("<!-- Generated by ptvsd-publish -->\n<configuration>\n  <appSettings>\n</configuration>\n")
        result = self.publish("Debug", f"-p:PtvsdPublishTemplate={broken}", "-p:PtvsdPublishSiteName=mysite",
                              check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("attach --site", result.stdout, "no attach hint after a failed publish")
        self.assertRegex(result.stdout, re.escape(broken) + r"\(4,\d+\): error PTVSD010: ")
        self.assertEqual(error_count(result.stdout), 1, result.stdout)
        # The proxy and web.config are copied before the tool runs; the secret's file is untouched.
        self.assertEqual(read(self.generated()), before[self.generated()])

    def test_missing_tool_names_the_property_to_set(self):
        result = self.publish("Debug", "-p:PtvsdPublishToolPath=/nonexistent/ptvsd-publish", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"error PTVSD090: .*PtvsdPublishToolPath")


class PackageContents(unittest.TestCase):
    def test_layout_metadata_and_nothing_that_flows(self):
        import zipfile
        [nupkg] = glob.glob(os.path.join(Feed.get(), "feed", "PtvsdPublish.*.nupkg"))
        with zipfile.ZipFile(nupkg) as z:
            names = set(z.namelist())
            nuspec = z.read("PtvsdPublish.nuspec").decode()
        for name in ("build/PtvsdPublish.props", "build/PtvsdPublish.targets", "README.md", "LICENSE",
                     "tools/linux-x64/ptvsd-publish", "tools/share/ptvsd-publish/templates/native.config"):
            self.assertIn(name, names)
        self.assertFalse([n for n in names if n.startswith("lib/") or n.endswith(".dll")], names)
        self.assertFalse([n for n in names if n.startswith("tools/linux-x64/ptvsd-proxy")],
                         "the site's proxy is the win-x64 one, not the host's")
        self.assertIn("<developmentDependency>true</developmentDependency>", nuspec)
        self.assertIn('<license type="expression">MIT</license>', nuspec)
        self.assertIn("<readme>README.md</readme>", nuspec)
        self.assertNotIn("<dependencies>", nuspec)
        with open(os.path.join(ROOT, "README.md")) as f:
            readme = f.read()
        for line in re.findall(r'<PackageReference Include="PtvsdPublish"[^>]*>', readme):
            self.assertIn('PrivateAssets="all"', line)

    def test_a_project_referencing_the_site_project_gets_nothing_of_the_package(self):
        # The README's PackageReference line, as the site project has it: the package is the site's
        # build-time tool and must not reach a project that references the site (a test project).
        with tempfile.TemporaryDirectory(prefix="ptvsd-consumer-") as temp:
            site = Project(temp, "plain")
            consumer = os.path.join(temp, "consumer")
            os.makedirs(consumer)
            shutil.copy(os.path.join(site.dir, "nuget.config"), consumer)
            with open(os.path.join(consumer, "consumer.csproj"), "w") as f:
                f.write('<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework>'
                        '</PropertyGroup><ItemGroup><ProjectReference Include="../plain/plain.csproj" />'
                        "</ItemGroup></Project>")
            dotnet("restore", cwd=consumer)

            def libraries(folder):
                with open(os.path.join(folder, "obj", "project.assets.json")) as f:
                    return [name.split("/")[0] for name in json.load(f)["libraries"]]
            self.assertIn("PtvsdPublish", libraries(site.dir))  # the site itself has it
            self.assertNotIn("PtvsdPublish", libraries(consumer))
            tool_path = lambda folder: dotnet("msbuild", "-getProperty:PtvsdPublishToolPath", cwd=folder).stdout.strip()
            self.assertNotEqual(tool_path(site.dir), "")  # the package's targets are imported there
            self.assertEqual(tool_path(consumer), "")

    def test_a_stage_with_the_windows_tool_and_site_proxy_fills_the_agreed_layout(self):
        import zipfile
        with tempfile.TemporaryDirectory(prefix="ptvsd-stage-") as temp:
            stage = os.path.join(temp, "stage")
            os.makedirs(os.path.join(stage, "bin"))
            shutil.copy(TOOL, os.path.join(stage, "bin"))
            shutil.copytree(os.path.join(BIN_DIR, "..", "share", "ptvsd-publish", "templates"),
                            os.path.join(stage, "share", "ptvsd-publish", "templates"))
            site = os.path.join(stage, "share", "ptvsd-publish", "site", "win-x64")
            os.makedirs(site)
            windows = os.path.join(temp, "win")
            os.makedirs(windows)
            for path in (os.path.join(site, "ptvsd-proxy.exe"), os.path.join(windows, "ptvsd-publish.exe")):
                with open(path, "wb") as f:
                    f.write(b"MZ stand-in")  # packing copies bytes; the PE checks are the Windows build's
            dotnet("pack", os.path.join(ROOT, "msbuild", "package", "PtvsdPublish.csproj"), "-o",
                   os.path.join(temp, "feed"), f"-p:PtvsdPublishBinDir={stage}/bin",
                   f"-p:PtvsdPublishWinBinDir={windows}", "--artifacts-path", os.path.join(temp, "artifacts"),
                   cwd=temp)
            [nupkg] = glob.glob(os.path.join(temp, "feed", "PtvsdPublish.*.nupkg"))
            with zipfile.ZipFile(nupkg) as z:
                names = set(z.namelist())
        for name in ("tools/linux-x64/ptvsd-publish", "tools/win-x64/ptvsd-publish.exe",
                     "tools/share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe",
                     "tools/share/ptvsd-publish/templates/native.config"):
            self.assertIn(name, names)


if __name__ == "__main__":
    unittest.main()
