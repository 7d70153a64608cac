"""templates/native.config (ptvsd-proxy under HttpPlatformHandler) applied by the real XDT engine.

Every fixture (the classic suite's configs/ plus native_configs/) is transformed once with a
first web.debug.config and the result again with a second one, in ONE `dotnet msbuild` run of
TransformXml, the task the .NET SDK's Web Publish uses. Each fixture must come out, both times,
with: no XDT warning or error; exactly one WSGI_PTVSD_SECRET (the last publish's); exactly one
httpPlatform of ours; the site's own httpPlatform untouched, and ours in <location path="ptvsd">
(handlers cleared) when the site has one, else at the application level with one ptvsd handler
ahead of the catch-all and after the last <clear/>; WebSockets on; nothing of the transform's
scaffolding left; and the second pass equal to the first but for the secret.

Run from this folder:  PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_native_template
Set PTVSD_XDT_KEEP=1 to keep the work folder; it is also kept (and named) when a test fails.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE.parent.parent / "templates" / "native.config"
FIXTURE_DIRS = [HERE / "configs", HERE / "native_configs"]
# The classic suite documents this one as failing in XDT itself (root in a namespace).
KNOWN_XDT_FAILURES = {"namespace_v2"}
SECRET_KEY = "WSGI_PTVSD_SECRET"
PASSES = {1: "once", 2: "twice"}

PROJECT = """<Project>
  <UsingTask TaskName="TransformXml" AssemblyFile="$(PublishTasksAssembly)"/>
  <ItemGroup>
{items}
  </ItemGroup>
  <Target Name="Transform">
    <TransformXml Source="%(Case.Identity)" Transform="%(Case.Transform1)" Destination="%(Case.Once)"
                  StackTrace="false" ContinueOnError="ErrorAndContinue"/>
    <TransformXml Condition="Exists('%(Case.Once)')" Source="%(Case.Once)" Transform="%(Case.Transform2)"
                  Destination="%(Case.Twice)" StackTrace="false" ContinueOnError="ErrorAndContinue"/>
  </Target>
</Project>
"""


def fixtures():
    found = {}
    for folder in FIXTURE_DIRS:
        for path in sorted(folder.glob("*.config")):
            if path.stem not in KNOWN_XDT_FAILURES:
                found[path.stem] = path
    return found


def child_env():
    return dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", DOTNET_CLI_USE_MSBUILD_SERVER="0",
                MSBUILDDISABLENODEREUSE="1")


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def publish_tasks_assembly(cwd):
    """Microsoft.NET.Sdk.Publish.Tasks.dll (TransformXml) of the SDK `dotnet` picks in cwd."""
    version = run(["dotnet", "--version"], cwd=cwd, env=child_env()).stdout.strip()
    for line in run(["dotnet", "--list-sdks"], cwd=cwd, env=child_env()).stdout.splitlines():
        match = re.fullmatch(r"\s*(\S+)\s+\[(.+)\]\s*", line)
        if match and match.group(1) == version:
            tools = Path(match.group(2)) / version / "Sdks" / "Microsoft.NET.Sdk.Publish" / "tools"
            dlls = sorted(tools.glob("net[0-9]*.[0-9]*/Microsoft.NET.Sdk.Publish.Tasks.dll"),
                          key=lambda p: tuple(int(n) for n in re.findall(r"\d+", p.parent.name)))
            if dlls:
                return str(dlls[-1])
    raise AssertionError(f"no Microsoft.NET.Sdk.Publish.Tasks.dll for SDK {version!r}")


class Shared:
    work = None
    keep = bool(os.environ.get("PTVSD_XDT_KEEP"))
    secrets = {}
    log = ""
    error = None


def setUpModule():
    tool = os.environ.get("PTVSD_PUBLISH", "")
    if not tool or not os.access(tool, os.X_OK):
        raise RuntimeError("PTVSD_PUBLISH must name the built ptvsd-publish binary")
    if not shutil.which("dotnet"):
        raise RuntimeError("dotnet is not on PATH: TransformXml comes from the .NET SDK")
    Shared.work = Path(tempfile.mkdtemp(prefix="ptvsd-xdt-native-"))
    project = Shared.work / "project"
    project.mkdir()
    transforms = {}
    for pass_no in PASSES:
        result = run([tool, "publish", "--project", str(project), "--template", str(TEMPLATE)])
        if result.returncode != 0:
            raise RuntimeError(f"ptvsd-publish publish failed:\n{result.stderr}")
        transforms[pass_no] = (project / "web.debug.config").read_text(encoding="utf-8")
        Shared.secrets[pass_no] = [e.get("value") for e in ET.fromstring(transforms[pass_no]).iter("add")
                                   if e.get("key") == SECRET_KEY and e.get("value")][0]
    items = []
    for name, source in fixtures().items():
        case = Shared.work / name
        case.mkdir()
        shutil.copyfile(source, case / "web.config")
        for pass_no, text in transforms.items():
            (case / f"web.debug.{pass_no}.config").write_text(text, encoding="utf-8")
        items.append(f"    <Case Include={quoteattr(str(case / 'web.config'))}"
                     f" Transform1={quoteattr(str(case / 'web.debug.1.config'))}"
                     f" Once={quoteattr(str(case / 'web.once.config'))}"
                     f" Transform2={quoteattr(str(case / 'web.debug.2.config'))}"
                     f" Twice={quoteattr(str(case / 'web.twice.config'))}/>")
    proj = Shared.work / "transform.proj"
    proj.write_text(PROJECT.format(items="\n".join(items)), encoding="utf-8")
    result = run(["dotnet", "msbuild", str(proj), "-nologo", "-v:m", "-nodeReuse:false", "-clp:NoSummary",
                  f"-p:PublishTasksAssembly={publish_tasks_assembly(Shared.work)}"],
                 cwd=Shared.work, env=child_env(), timeout=600)
    Shared.log = result.stdout + result.stderr
    (Shared.work / "msbuild.log").write_text(Shared.log, encoding="utf-8")


def tearDownModule():
    if Shared.work is None:
        return
    if Shared.keep:
        print(f"\ntest_native_template: work folder kept: {Shared.work}", file=sys.stderr)
    else:
        shutil.rmtree(Shared.work, ignore_errors=True)


def is_ours(platform):
    return "ptvsd-proxy" in platform.get("processPath", "")


def shape(element):
    return (element.tag, tuple(sorted(element.attrib.items())), (element.text or "").strip(),
            tuple(shape(child) for child in element))


def site_platforms(root):
    return [shape(p) for p in root.iter("httpPlatform") if not is_ours(p)]


def label(element):
    return "clear" if element.tag == "clear" else ("-" + element.get("name", "")) if element.tag == "remove" \
        else element.get("name", element.tag)


class NativeTemplate(unittest.TestCase):
    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            Shared.keep = True
        return outcome

    def check(self, name):
        case = Shared.work / name
        diagnostics = [line for line in Shared.log.splitlines()
                       if str(case) + os.sep in line and re.search(r"\b(warning|error)\b", line, re.I)]
        self.assertEqual(diagnostics, [], f"XDT reported problems for {name}")
        source = ET.parse(case / "web.config").getroot()
        results = {}
        for pass_no, label_ in PASSES.items():
            with self.subTest(fixture=name, run=label_):
                output = case / f"web.{label_}.config"
                self.assertTrue(output.is_file(), f"TransformXml wrote no {output.name}")
                root = ET.parse(output).getroot()
                results[pass_no] = root
                self.check_result(source, root, Shared.secrets[pass_no])
        # Idempotent: the second publish changes the secret and nothing else.
        normalised = []
        for root in results.values():
            for add in root.iter("add"):
                if add.get("key") == SECRET_KEY:
                    add.set("value", "*")
            normalised.append(shape(root))
        self.assertEqual(normalised[0], normalised[1], "the second pass changed more than the secret")

    def check_result(self, source, root, secret):
        raw = ET.tostring(root, encoding="unicode")
        self.assertNotIn("ptvsd-publish-scratch", raw)
        self.assertNotIn("ptvsd-publish-new", raw)
        secrets = [e.get("value") for e in root.iter("add") if e.get("key") == SECRET_KEY]
        self.assertEqual(secrets, [secret])
        self.assertEqual([e.get("enabled") for e in root.findall("system.webServer/webSocket")], ["true"])

        # The site's httpPlatform elements are exactly what they were.
        self.assertEqual(site_platforms(root), site_platforms(source))
        ours = [p for p in root.iter("httpPlatform") if is_ours(p)]
        self.assertEqual(len(ours), 1, "exactly one httpPlatform of ours")
        self.assertEqual(ours[0].get("processPath"), ".\\bin\\ptvsd-proxy.exe")
        self.assertEqual(ours[0].get("processesPerApplication"), "1")
        self.assertEqual(list(ours[0]), [], "nothing of an older httpPlatform survives")

        locations = root.findall("location[@path='ptvsd']")
        app_handlers = root.findall("system.webServer/handlers")
        app_ptvsd = [h for handlers in app_handlers for h in handlers if h.get("name") == "ptvsd"]
        if site_platforms(source):
            # B: ours is scoped to /ptvsd, whose inherited handlers are cleared.
            self.assertEqual(len(locations), 1)
            self.assertIs(locations[0].find("system.webServer/httpPlatform"), ours[0])
            handlers = locations[0].find("system.webServer/handlers")
            self.assertEqual([label(h) for h in handlers], ["clear", "ptvsd"])
            self.assertEqual(handlers[1].get("modules"), "httpPlatformHandler")
            self.assertEqual(app_ptvsd, [], "an application-level ptvsd handler would reach the site's process")
        else:
            # A: ours at the application level, one handler ahead of the catch-all.
            self.assertEqual(locations, [])
            self.assertIs(root.find("system.webServer/httpPlatform"), ours[0])
            self.assertEqual(len(app_ptvsd), 1)
            self.assertEqual(app_ptvsd[0].get("modules"), "httpPlatformHandler")
            self.assertEqual(app_ptvsd[0].get("path"), "ptvsd")
            entries = list(app_handlers[0])
            position = entries.index(app_ptvsd[0])
            clears = [i for i, e in enumerate(entries) if e.tag == "clear"]
            catch_alls = [i for i, e in enumerate(entries) if e.tag == "add" and e.get("path") == "*"]
            if clears:
                self.assertEqual(position, clears[-1] + 1, "ptvsd right after the last <clear/>")
            if catch_alls:
                self.assertLess(position, min(i for i in catch_alls if not clears or i > clears[-1]))

        # Every other leaf element of the site is still there, unchanged.
        kept = {shape(e) for e in root.iter()}
        for element in source.iter():
            if element.tag in ("httpPlatform", "environmentVariables", "environmentVariable", "webSocket") or \
                    element.get("key") == SECRET_KEY or element.get("name") == "ptvsd" or \
                    (element.tag == "location" and element.get("path") == "ptvsd") or list(element) or \
                    not element.attrib:  # containers: the transform may fill them
                continue
            self.assertTrue(shape(element) in kept, f"lost {ET.tostring(element, encoding='unicode')[:160]}")


def add_case(name):
    def test(self):
        self.check(name)
    test.__doc__ = f"fixture {name}"
    setattr(NativeTemplate, f"test_{name}", test)


for _name in fixtures():
    add_case(_name)


if __name__ == "__main__":
    unittest.main()
