"""Applying a template's web.debug.config to fixture web.configs with the real XDT engine.

Shared by the template suites (test_xdt, test_native_template). Each suite owns one EngineRun: it
publishes twice into one project (two different secrets), then ONE `dotnet msbuild` run of
TransformXml, the task the .NET SDK's Web Publish uses, applies the first web.debug.config to every
fixture ("once") and the second one to each result ("twice"). What a result must look like is the
suite's business; this module only makes the results and the msbuild log.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from xml.sax.saxutils import quoteattr

SECRET_KEY = "WSGI_PTVSD_SECRET"
PASSES = {1: "once", 2: "twice"}

MSBUILD_PROJECT = """<Project>
  <UsingTask TaskName="TransformXml" AssemblyFile="$(PublishTasksAssembly)"/>
  <ItemGroup>
{items}
  </ItemGroup>
  <Target Name="Transform">
    <!-- ErrorAndContinue: a failing fixture must not hide the results of the others. -->
    <TransformXml Source="%(Case.Identity)" Transform="%(Case.Transform1)" Destination="%(Case.Once)"
                  StackTrace="false" ContinueOnError="ErrorAndContinue"/>
    <TransformXml Condition="Exists('%(Case.Once)')" Source="%(Case.Once)"
                  Transform="%(Case.Transform2)" Destination="%(Case.Twice)"
                  StackTrace="false" ContinueOnError="ErrorAndContinue"/>
  </Target>
</Project>
"""

DIAGNOSTIC = re.compile(r"\b(warning|error)\b[^:]*:", re.IGNORECASE)


def tool():
    return os.environ.get("PTVSD_PUBLISH", "")


def dotnet():
    return shutil.which("dotnet")


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def child_env():
    env = dict(os.environ)
    env.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1", DOTNET_CLI_USE_MSBUILD_SERVER="0",
               MSBUILDDISABLENODEREUSE="1", DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE="1")
    return env


def require_tools():
    """Raises RuntimeError unless PTVSD_PUBLISH names an executable and dotnet is on PATH."""
    problems = []
    if not tool():
        problems.append("PTVSD_PUBLISH is not set: point it at the built ptvsd-publish binary")
    elif not os.access(tool(), os.X_OK):
        problems.append(f"PTVSD_PUBLISH={tool()} is not an executable file")
    if not dotnet():
        problems.append("dotnet is not on PATH: the XDT tests need the .NET SDK (TransformXml)")
    if problems:
        raise RuntimeError("; ".join(problems))


def publish_tasks_assembly(cwd):
    """Microsoft.NET.Sdk.Publish.Tasks.dll of the SDK `dotnet` picks in cwd (it holds TransformXml)."""
    version = run([dotnet(), "--version"], cwd=cwd, env=child_env())
    sdks = run([dotnet(), "--list-sdks"], cwd=cwd, env=child_env())
    if version.returncode != 0 or sdks.returncode != 0:
        raise AssertionError(f"dotnet --version / --list-sdks failed:\n{version.stderr}{sdks.stderr}")
    wanted = version.stdout.strip()
    for line in sdks.stdout.splitlines():
        match = re.fullmatch(r"\s*(\S+)\s+\[(.+)\]\s*", line)
        if match and match.group(1) == wanted:
            tools = Path(match.group(2)) / wanted / "Sdks" / "Microsoft.NET.Sdk.Publish" / "tools"
            break
    else:
        raise AssertionError(f"SDK {wanted!r} (dotnet --version) is not in dotnet --list-sdks:\n"
                             f"{sdks.stdout}")
    found = []
    for dll in tools.glob("net*/Microsoft.NET.Sdk.Publish.Tasks.dll"):
        match = re.fullmatch(r"net(\d+)\.(\d+)", dll.parent.name)  # net472 is .NET Framework
        if match:
            found.append(((int(match.group(1)), int(match.group(2))), dll))
    if not found:
        raise AssertionError(f"no tools/netN.N/Microsoft.NET.Sdk.Publish.Tasks.dll under {tools}")
    return str(max(found)[1])


def publish(project, template):
    """One Debug publish of project with template (a name or a path); returns its web.debug.config."""
    result = run([tool(), "publish", "--project", str(project), "--template", template])
    if result.returncode != 0:
        raise AssertionError(f"ptvsd-publish publish failed ({result.returncode}):\n{result.stderr}")
    return project / "web.debug.config"


class EngineRun:
    """A suite's work folder and the outcome of its single msbuild run, shared by its tests."""

    def __init__(self, suite, prefix):
        self.suite = suite  # named when the work folder is kept
        self.prefix = prefix
        self.work = None
        self.keep = bool(os.environ.get("PTVSD_XDT_KEEP"))
        self.error = None  # why the run could not be made, for suites that report it per test
        self.secrets = {}  # pass -> secret of the web.debug.config used in that pass
        self.transforms = {}  # pass -> path of that web.debug.config (as published)
        self.log = ""
        self.returncode = None
        self.diagnostics = {}  # (fixture, pass) -> ["...warning/error line", ...]
        self.unattributed = []  # warning/error lines that name no fixture

    def case_dir(self, name):
        return self.work / "cases" / name

    def source(self, name):
        return self.case_dir(name) / "web.config"

    def transform(self, name, pass_no):
        return self.case_dir(name) / f"web.debug.{pass_no}.config"

    def output(self, name, pass_no):
        return self.case_dir(name) / f"web.{PASSES[pass_no]}.config"

    def make(self, fixtures, publish_secret):
        """fixtures: name -> web.config; publish_secret(project) publishes once, returns the secret."""
        self.work = Path(tempfile.mkdtemp(prefix=self.prefix))
        project = self.work / "project"
        project.mkdir()
        # Two Debug publishes of the same project: the second regenerates web.debug.config.
        for pass_no in PASSES:
            self.secrets[pass_no] = publish_secret(project)
            self.transforms[pass_no] = self.work / f"web.debug.{pass_no}.config"
            shutil.copyfile(project / "web.debug.config", self.transforms[pass_no])

        # One folder per fixture, with its own copy of each transform: XDT names the transform file
        # in every warning, so a warning names its fixture and pass.
        items = []
        for name, path in fixtures.items():
            self.case_dir(name).mkdir(parents=True)
            shutil.copyfile(path, self.source(name))
            for pass_no in PASSES:
                shutil.copyfile(self.transforms[pass_no], self.transform(name, pass_no))
            items.append(f"    <Case Include={quoteattr(str(self.source(name)))}"
                         f" Transform1={quoteattr(str(self.transform(name, 1)))}"
                         f" Once={quoteattr(str(self.output(name, 1)))}"
                         f" Transform2={quoteattr(str(self.transform(name, 2)))}"
                         f" Twice={quoteattr(str(self.output(name, 2)))}/>")
        proj = self.work / "transform.proj"
        proj.write_text(MSBUILD_PROJECT.format(items="\n".join(items)), encoding="utf-8")

        assembly = publish_tasks_assembly(self.work)
        result = run([dotnet(), "msbuild", str(proj), "-nologo", "-v:m", "-nodeReuse:false",
                      "-clp:NoSummary", f"-p:PublishTasksAssembly={assembly}"],
                     cwd=self.work, env=child_env(), timeout=600)
        self.returncode = result.returncode
        self.log = result.stdout + result.stderr
        (self.work / "msbuild.log").write_text(self.log, encoding="utf-8")
        for line in self.log.splitlines():
            if not DIAGNOSTIC.search(line):
                continue
            owners = [(name, pass_no) for name in fixtures for pass_no in PASSES
                      if str(self.transform(name, pass_no)) in line
                      or str(self.output(name, pass_no)) in line
                      or (pass_no == 1 and str(self.source(name)) in line)]
            if owners:
                for owner in owners:
                    self.diagnostics.setdefault(owner, []).append(line.strip())
            else:
                self.unattributed.append(line.strip())

    def second_pass_change(self, name):
        """None when applying the second transform to the first result changed no byte but the
        secret's value (the promise of idempotence), else where the bytes first differ."""
        once = self.output(name, 1).read_bytes()
        twice = self.output(name, 2).read_bytes()
        twice = twice.replace(self.secrets[2].encode(), self.secrets[1].encode())
        if once == twice:
            return None
        at = next((i for i, (a, b) in enumerate(zip(once, twice)) if a != b), min(len(once), len(twice)))
        line = once.count(b"\n", 0, at) + 1
        return (f"the second pass changed bytes other than the secret, first at line {line}:\n"
                f"  once:  {once[max(0, at - 60):at + 60]!r}\n  twice: {twice[max(0, at - 60):at + 60]!r}")

    def clean_up(self):
        if self.work is None:
            return
        if self.keep:
            print(f"\n{self.suite}: work folder kept: {self.work}", file=sys.stderr)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


class KeepWorkOnFailure(unittest.TestCase):
    """Keeps the work folder of engine_run when a test fails (expected failures excepted)."""

    engine_run = None  # the suite's EngineRun

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            self.engine_run.keep = True
        return outcome


def shape(element):
    """Everything of an element that matters, comparable with ==."""
    return (element.tag, tuple(sorted(element.attrib.items())), (element.text or "").strip(),
            tuple(shape(child) for child in element))


def label(element):
    """An entry of a <handlers> or <rules> sequence: "clear", "-name" for <remove>, else its name
    (its tag when it has none)."""
    if element.tag == "clear":
        return "clear"
    if element.tag == "remove":
        return "-" + element.get("name", "")
    return element.get("name") or element.tag


def labels(elements):
    return [label(element) for element in elements]
