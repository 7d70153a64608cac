"""The rendered web.debug.config applied to realistic web.config files by the real XDT engine.

Every file in configs/ is a site's web.config. The suite publishes twice (two different secrets),
then ONE `dotnet msbuild` run applies the first web.debug.config to every fixture ("once") and the
second one to each result ("twice", a later Debug publish of the same site), with the
TransformXml task that the .NET SDK's Web Publish uses (xdt_harness makes that run). Each fixture's
test then checks both results: no XDT warning or error, exactly one secret (the one of the
transform used last), exactly one ptvsd handler ahead of the catch-all, WebSockets on, the ASP.NET
4.5 runtime, the ptvsd rewrite rule when the site rewrites URLs, no scratch left behind, every
element of the site kept, and the second result byte-identical to the first but for the secret.

Run from this folder:  PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_xdt
Set PTVSD_XDT_KEEP=1 to keep the work folder; it is also kept (and named) when a test fails.
"""

import re
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

import xdt_harness
from xdt_harness import PASSES, SECRET_KEY, EngineRun, labels, run, shape, tool

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / "configs"
TEMPLATE = HERE.parent.parent / "templates" / "classic.config"
PTVSD_HANDLER = {
    "name": "ptvsd",
    "path": "ptvsd",
    "verb": "*",
    "resourceType": "Unspecified",
    "type": "Microsoft.PythonTools.Debugger.WebSocketProxy, Microsoft.PythonTools.WebRole",
}
PTVSD_RULE = {"name": "ptvsd", "stopProcessing": "true"}
PTVSD_RULE_CHILDREN = [("match", {"url": "^ptvsd(/.*)?$"}), ("action", {"type": "None"})]
XDT_NAMESPACE = "http://schemas.microsoft.com/XML-Document-Transform"
SITE = "x"

# Paths (tag names from the root) of the elements the transform owns or may change.
C = ("configuration",)
APP_SETTINGS = C + ("appSettings",)
SYSTEM_WEB = C + ("system.web",)
HTTP_RUNTIME = SYSTEM_WEB + ("httpRuntime",)
WEB_SERVER = C + ("system.webServer",)
WEB_SOCKET = WEB_SERVER + ("webSocket",)
HANDLERS = WEB_SERVER + ("handlers",)
REWRITE = WEB_SERVER + ("rewrite",)
RULES = REWRITE + ("rules",)
# Containers the transform adds when the site lacks them (InsertIfMissing).
CONTAINERS = {APP_SETTINGS, SYSTEM_WEB, HTTP_RUNTIME, WEB_SERVER, WEB_SOCKET, HANDLERS}
# Attributes the transform sets on elements the site already has; checked on their own.
CHANGEABLE = {WEB_SOCKET: {"enabled"}, HTTP_RUNTIME: {"targetFramework"}}


class Expect:
    """What a fixture must look like after the transform, beyond the checks made on every fixture.

    handlers / rules: the expected top-level sequence ("clear", "-name" for <remove>, a name for
    <add>/<rule>), or None to rely on the generic placement checks only.
    known_problem: the fixture documents a case the template cannot handle; its test is an
    expectedFailure and the reason is shown here.
    """

    def __init__(self, what, handlers=None, rules=None, known_problem=None):
        self.what = what
        self.handlers = handlers
        self.rules = rules
        self.known_problem = known_problem


FIXTURES = {
    "wfastcgi": Expect("wfastcgi site with WSGI_HANDLER/PYTHONPATH and a catch-all FastCGI handler",
                       handlers=["ptvsd", "PythonHandler"]),
    "httpplatform": Expect("HttpPlatformHandler site with <httpPlatform>",
                           handlers=["ptvsd", "httpPlatformHandler"]),
    "handlers_clear": Expect("<clear/>, StaticFile, catch-all: ptvsd after the clear",
                             handlers=["clear", "ptvsd", "StaticFile", "PythonHandler"]),
    "handlers_two_clears": Expect(
        "two <clear/> with handlers between: ptvsd after the last clear",
        handlers=["clear", "TRACEVerbHandler", "OPTIONSVerbHandler", "clear", "ptvsd", "StaticFile",
                  "PythonHandler"]),
    "handlers_empty": Expect("empty <handlers/>", handlers=["ptvsd"]),
    "no_handlers": Expect("<system.webServer> without <handlers>", handlers=["ptvsd"]),
    "no_system_webserver": Expect("no <system.webServer>", handlers=["ptvsd"]),
    "no_appsettings": Expect("no <appSettings>", handlers=["ptvsd", "PythonHandler"]),
    "empty_appsettings": Expect("empty <appSettings/>", handlers=["ptvsd", "PythonHandler"]),
    "bare": Expect("a bare <configuration/>", handlers=["ptvsd"]),
    "previous_publish": Expect("old secret, old ptvsd handler after the catch-all",
                               handlers=["ptvsd", "PythonHandler"]),
    "secret_duplicated": Expect("the secret setting twice", handlers=["ptvsd", "PythonHandler"]),
    "rewrite": Expect("Azure Bottle/Flask site: <remove>s, handler.fcgi, static and catch-all rules",
                      handlers=["ptvsd", "-Python27_via_FastCGI", "-Python34_via_FastCGI",
                                "Python FastCGI"],
                      rules=["ptvsd", "Static Files", "Configure Python"]),
    "rewrite_clear": Expect("rewrite <rules> starting with <clear/>, plus outboundRules",
                            handlers=["ptvsd", "Python FastCGI"],
                            rules=["clear", "ptvsd", "Static Files", "Configure Python"]),
    "rewrite_empty_rules": Expect("<rewrite><rules/></rewrite>",
                                  handlers=["ptvsd", "PythonHandler"], rules=["ptvsd"]),
    "rewrite_outbound_only": Expect("<rewrite> with outboundRules only: no <rules> added",
                                    handlers=["ptvsd", "PythonHandler"]),
    "rewrite_previous_publish": Expect("old ptvsd handler and old ptvsd rule, both last",
                                       handlers=["ptvsd", "Python FastCGI"],
                                       rules=["ptvsd", "Configure Python"]),
    "httpruntime_472": Expect("httpRuntime targetFramework 4.7.2 is kept",
                              handlers=["ptvsd", "PythonHandler"]),
    "httpruntime_missing": Expect("<system.web> without <httpRuntime>",
                                  handlers=["ptvsd", "PythonHandler"]),
    "httpruntime_maxrequest": Expect("httpRuntime maxRequestLength only",
                                     handlers=["ptvsd", "PythonHandler"]),
    "websocket_disabled": Expect("<webSocket enabled=\"false\">",
                                 handlers=["ptvsd", "PythonHandler"]),
    "location": Expect("system.web/system.webServer inside <location>: left untouched",
                       handlers=["ptvsd"]),
    "no_declaration": Expect("no XML declaration, LF line ends", handlers=["ptvsd"]),
    "no_declaration_crlf": Expect("no XML declaration, CRLF line ends", handlers=["ptvsd"]),
    "no_declaration_tabs": Expect("no XML declaration, tab indents, no final line end",
                                  handlers=["ptvsd", "PythonHandler"]),
    "namespace_v2": Expect(
        "root in the old .NET 2.0 configuration namespace",
        handlers=["ptvsd", "PythonHandler"],
        known_problem="XDT matches element names with their namespace: the template's "
                      "/configuration (no namespace) matches nothing in a document whose root is "
                      "in http://schemas.microsoft.com/.NetConfiguration/v2.0, so TransformXml "
                      "reports 'No element in the source document matches' errors and writes no "
                      "file. The publish fails loudly; removing the xmlns from web.config is the fix."),
}


# --------------------------------------------------------------------------------------------
# The shared run: two publishes, one msbuild.

RUN = EngineRun("test_xdt", "ptvsd-xdt-")


def publish(project):
    """Publishes with the template named classic (the copy next to the binary, not TEMPLATE);
    returns the secret as `url` reports it, checked against the file."""
    config = xdt_harness.publish(project, "classic")
    url = run([tool(), "url", "--site", SITE, "--config", str(config)])
    match = re.fullmatch(rf"wss://([^@/\s:]+):@{SITE}\.azurewebsites\.net/ptvsd", url.stdout.strip())
    if url.returncode != 0 or not match:
        raise AssertionError(f"ptvsd-publish url: exit {url.returncode}, stdout {url.stdout!r}, "
                             f"stderr {url.stderr!r}")
    in_file = [e.get("value") for e in ET.parse(config).getroot().iter("add")
               if e.get("key") == SECRET_KEY and "value" in e.attrib]
    if in_file != [match.group(1)]:
        raise AssertionError(f"url printed secret {match.group(1)!r}, {config} carries {in_file!r}")
    return match.group(1)


def setUpModule():
    xdt_harness.require_tools()
    try:
        RUN.make({name: CONFIGS / f"{name}.config" for name in FIXTURES}, publish)
    except Exception as error:  # reported by every test that needs the run
        RUN.error = f"{type(error).__name__}: {error}"


def tearDownModule():
    RUN.clean_up()


class KeepWorkOnFailure(xdt_harness.KeepWorkOnFailure):
    engine_run = RUN


# --------------------------------------------------------------------------------------------
# Reading and comparing documents.

def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


class Doc:
    """A parsed config with namespaces stripped from the tags (the namespaces are kept aside)."""

    def __init__(self, path):
        self.path = Path(path)
        self.raw = self.path.read_bytes()
        self.root = ET.fromstring(self.raw)
        self.namespaces = {namespace(e.tag) for e in self.root.iter()}
        for element in self.root.iter():
            element.tag = local_name(element.tag)
        self.parents = {child: parent for parent in self.root.iter() for child in parent}

    def at(self, path):
        """The elements at a tag path from the root, e.g. HANDLERS."""
        found = [self.root] if self.root.tag == path[0] else []
        for tag in path[1:]:
            found = [child for element in found for child in element if child.tag == tag]
        return found

    def walk(self):
        """(path, element) for every element, in document order."""
        pending = [((self.root.tag,), self.root)]
        while pending:
            path, element = pending.pop(0)
            yield path, element
            pending[0:0] = [(path + (child.tag,), child) for child in element]


def secret_adds(doc):
    return [e for e in doc.at(APP_SETTINGS + ("add",)) if e.get("key") == SECRET_KEY]


def ptvsd_named(elements):
    return [e for e in elements if e.get("name") == "ptvsd"]


def children(doc, path):
    containers = doc.at(path)
    return list(containers[0]) if containers else []


def owned_by_transform(doc):
    """Elements of the site the transform replaces: old secrets, ptvsd handlers and rules."""
    owned = set(secret_adds(doc)) | set(ptvsd_named(doc.at(HANDLERS + ("add",))))
    for rule in ptvsd_named(doc.at(RULES + ("rule",))):
        owned.update(rule.iter())
    return owned


def comparable(path, element):
    attributes = dict(element.attrib)
    for name in CHANGEABLE.get(path, ()):
        attributes.pop(name, None)
    return (path, tuple(sorted(attributes.items())), (element.text or "").strip())


# --------------------------------------------------------------------------------------------
# The checks made on every fixture, after each pass.

class Checks:
    def __init__(self, test, name, pass_no, source, out):
        self.test, self.name, self.pass_no = test, name, pass_no
        self.source, self.out = source, out
        self.secret = RUN.secrets[pass_no]
        self.expect = FIXTURES[name]

    def fail(self, message):
        self.test.fail(f"{self.name} ({PASSES[self.pass_no]}): {message}\n  result: {self.out.path}")

    def check(self, condition, message):
        if not condition:
            self.fail(message)

    def secret_setting(self):
        self.check(len(self.out.at(APP_SETTINGS)) == 1,
                   f"{len(self.out.at(APP_SETTINGS))} top-level <appSettings>, expected 1")
        values = [e.get("value") for e in secret_adds(self.out)]
        self.check(values == [self.secret],
                   f"{SECRET_KEY} settings {values!r}, expected exactly one: [{self.secret!r}]")
        everywhere = [e for e in self.out.root.iter("add") if e.get("key") == SECRET_KEY]
        self.check(len(everywhere) == 1, f"{len(everywhere)} {SECRET_KEY} settings in the document")
        others = [e.get("key") for e in self.out.at(APP_SETTINGS + ("add",)) if e.get("key") != SECRET_KEY]
        original = [e.get("key") for e in self.source.at(APP_SETTINGS + ("add",))
                    if e.get("key") != SECRET_KEY]
        self.check(others == original, f"app settings {others!r}, expected {original!r} kept in order")

    def handler(self):
        self.check(len(self.out.at(HANDLERS)) == 1,
                   f"{len(self.out.at(HANDLERS))} top-level <handlers>, expected 1")
        entries = children(self.out, HANDLERS)
        ptvsd = ptvsd_named(e for e in entries if e.tag == "add")
        self.check(len(ptvsd) == 1, f"{len(ptvsd)} ptvsd handlers, expected 1: {labels(entries)}")
        handler = ptvsd[0]
        self.check(dict(handler.attrib) == PTVSD_HANDLER and len(handler) == 0,
                   f"ptvsd handler is {handler.attrib!r}, expected {PTVSD_HANDLER!r}")
        index = entries.index(handler)
        clears = [i for i, e in enumerate(entries) if e.tag == "clear"]
        last_clear = clears[-1] if clears else -1
        self.check(index > last_clear, f"ptvsd handler at {index}, not after the last <clear/> "
                                       f"({last_clear}): {labels(entries)}")
        catch_alls = [i for i, e in enumerate(entries)
                      if i > last_clear and e.tag == "add" and e.get("path") == "*"]
        self.check(all(index < i for i in catch_alls),
                   f"ptvsd handler at {index}, not before every path=\"*\" handler {catch_alls}: "
                   f"{labels(entries)}")
        self.rest_in_order(HANDLERS, "add", handler, "handlers", "handlers", self.expect.handlers)

    def rewrite_rule(self):
        everywhere = [e for e in self.out.root.iter("rule") if e.get("name") == "ptvsd"]
        if not self.source.at(RULES):
            self.check(len(self.out.at(REWRITE)) == len(self.source.at(REWRITE)),
                       f"{len(self.out.at(REWRITE))} top-level <rewrite>, the site had "
                       f"{len(self.source.at(REWRITE))}: a site without <rewrite><rules> must not get one")
            self.check(not self.out.at(RULES), "<rewrite><rules> added to a site that had none")
            self.check(not everywhere, f"{len(everywhere)} ptvsd rewrite rules in a site without rules")
            self.check(self.expect.rules is None, "the fixture expects rules but has no <rewrite><rules>")
            return
        self.check(len(self.out.at(RULES)) == 1, f"{len(self.out.at(RULES))} top-level <rewrite><rules>")
        entries = children(self.out, RULES)
        ptvsd = ptvsd_named(e for e in entries if e.tag == "rule")
        self.check(len(ptvsd) == 1 and len(everywhere) == 1,
                   f"{len(ptvsd)} ptvsd rules in <rules> ({len(everywhere)} in the document), expected 1: "
                   f"{labels(entries)}")
        rule = ptvsd[0]
        self.check(dict(rule.attrib) == PTVSD_RULE, f"ptvsd rule is {rule.attrib!r}, expected {PTVSD_RULE!r}")
        got = [(child.tag, dict(child.attrib)) for child in rule]
        self.check(got == PTVSD_RULE_CHILDREN, f"ptvsd rule holds {got!r}, expected {PTVSD_RULE_CHILDREN!r}")
        index = entries.index(rule)
        first = next(i for i, e in enumerate(entries)
                     if e.tag != "clear" and all(x.tag != "clear" for x in entries[i:]))
        self.check(index == first, f"ptvsd rule at {index}, expected first after the last <clear/> "
                                   f"({first}): {labels(entries)}")
        self.rest_in_order(RULES, "rule", rule, "rewrite rules", "rules", self.expect.rules)

    def rest_in_order(self, path, tag, ours, what, kind, expected):
        """Around ours, the site's entries at path are unchanged and in order; the whole is expected."""
        entries = children(self.out, path)
        others = [shape(e) for e in entries if e is not ours]
        original = [shape(e) for e in children(self.source, path)
                    if not (e.tag == tag and e.get("name") == "ptvsd")]
        self.check(others == original, f"the site's {what} changed or were reordered:\n"
                                       f"  got      {others}\n  expected {original}")
        if expected is not None:
            self.check(labels(entries) == expected, f"{kind} {labels(entries)}, expected {expected}")

    def web_socket(self):
        sockets = self.out.at(WEB_SOCKET)
        self.check([e.get("enabled") for e in sockets] == ["true"],
                   f"top-level webSocket elements {[e.attrib for e in sockets]!r}, expected one enabled=\"true\"")

    def http_runtime(self):
        runtimes = self.out.at(HTTP_RUNTIME)
        self.check(len(self.out.at(SYSTEM_WEB)) == 1 and len(runtimes) == 1,
                   f"{len(self.out.at(SYSTEM_WEB))} <system.web>, {len(runtimes)} <httpRuntime>, expected 1 each")
        before = self.source.at(HTTP_RUNTIME)
        wanted = before[0].get("targetFramework", "4.5") if before else "4.5"
        self.check(runtimes[0].get("targetFramework") == wanted,
                   f"<httpRuntime {runtimes[0].attrib!r}/>: targetFramework should be {wanted!r}")

    def no_scaffolding(self):
        scratch = list(self.out.root.iter("ptvsd-publish-scratch"))
        self.check(not scratch, f"{len(scratch)} <ptvsd-publish-scratch> left in the result")
        marked = [e.tag for e in self.out.root.iter() if "ptvsd-publish-new" in e.attrib]
        self.check(not marked, f"ptvsd-publish-new attribute left on {marked}")
        xdt = [(e.tag, a) for e in self.out.root.iter() for a in e.attrib if a.startswith("{")]
        self.check(not xdt, f"namespaced (xdt:) attributes left: {xdt}")
        self.check(b"ptvsd-publish" not in self.out.raw and XDT_NAMESPACE.encode() not in self.out.raw,
                   "the result still mentions ptvsd-publish or the XDT namespace")
        self.check(self.out.namespaces == self.source.namespaces,
                   f"element namespaces {sorted(self.out.namespaces)}, the site uses "
                   f"{sorted(self.source.namespaces)}")

    def site_kept(self):
        """Every element of the site is still there with its attributes; nothing else was added."""
        # The secret, the ptvsd handler and the ptvsd rule are the transform's own (checked above);
        # everything else in the result must pair off with the site's elements.
        owned, added = owned_by_transform(self.source), owned_by_transform(self.out)
        unmatched = {}
        for path, element in self.out.walk():
            if element not in added:
                unmatched.setdefault(comparable(path, element), []).append(element)
        lost = []
        for path, element in self.source.walk():
            if element in owned:
                continue
            candidates = unmatched.get(comparable(path, element))
            if candidates:
                candidates.pop(0)
            else:
                lost.append(f"{'/'.join(path)} {element.attrib!r}")
        self.check(not lost, "elements of the site lost or altered:\n  " + "\n  ".join(lost))
        extra = [f"{'/'.join(key[0])} {dict(key[1])!r}" for key, elements in unmatched.items()
                 for element in elements if key[0] not in CONTAINERS]
        self.check(not extra, "unexpected elements added:\n  " + "\n  ".join(extra))
        for path, originals in ((HTTP_RUNTIME, self.source.at(HTTP_RUNTIME)),
                                (WEB_SOCKET, self.source.at(WEB_SOCKET))):
            for original, now in zip(originals, self.out.at(path)):
                for name, value in original.attrib.items():
                    if name not in ("enabled", "targetFramework"):
                        self.check(now.get(name) == value, f"{'/'.join(path)}/@{name} changed to {now.get(name)!r}")

    def locations_untouched(self):
        before = [shape(e) for e in self.source.at(C + ("location",))]
        after = [shape(e) for e in self.out.at(C + ("location",))]
        self.check(after == before, "<location> content changed:\n"
                                    f"  got      {after}\n  expected {before}")

    ALL = ("secret_setting", "handler", "rewrite_rule", "web_socket", "http_runtime",
           "no_scaffolding", "site_kept", "locations_untouched")


def masked(doc):
    """shape() of the document with the secret's value hidden."""
    for element in secret_adds(doc):
        element.set("value", "<secret>")
    return shape(doc.root)


class TransformFixtures(KeepWorkOnFailure):
    """One test per fixture; a failing check names the fixture, the pass and the check."""

    maxDiff = None

    def need_run(self):
        if RUN.error:
            self.fail(f"the shared publish/msbuild run failed: {RUN.error}\n  work folder: {RUN.work}")

    def check_fixture(self, name):
        self.need_run()
        source = Doc(RUN.source(name))
        results = {}
        for pass_no, pass_name in PASSES.items():
            with self.subTest(apply=pass_name, check="XDT applied cleanly"):
                diagnostics = RUN.diagnostics.get((name, pass_no), [])
                self.assertEqual(diagnostics, [],
                                 f"{name} ({pass_name}): TransformXml reported:\n  " + "\n  ".join(diagnostics))
                output = RUN.output(name, pass_no)
                self.assertTrue(output.is_file(),
                                f"{name} ({pass_name}): TransformXml wrote no {output}; msbuild exit "
                                f"{RUN.returncode}, log:\n{RUN.log[-3000:]}")
            if not RUN.output(name, pass_no).is_file():
                continue
            with self.subTest(apply=pass_name, check="parse"):
                results[pass_no] = Doc(RUN.output(name, pass_no))
            if pass_no not in results:
                continue
            checks = Checks(self, name, pass_no, source, results[pass_no])
            for check in Checks.ALL:
                with self.subTest(apply=pass_name, check=check):
                    getattr(checks, check)()
        if len(results) == len(PASSES):
            with self.subTest(apply="twice", check="same as once but for the secret"):
                self.assertEqual(masked(results[2]), masked(results[1]),
                                 f"{name}: applying a second publish's transform changed more than "
                                 f"the secret:\n  once:  {results[1].path}\n  twice: {results[2].path}")
            with self.subTest(apply="twice", check="byte-identical but for the secret"):
                self.assertIsNone(RUN.second_pass_change(name), name)


def add_fixture_tests():
    for name, expect in FIXTURES.items():
        def test(self, name=name):
            self.check_fixture(name)
        test.__name__ = f"test_{name}"
        test.__doc__ = f"{name}.config: {expect.what}"
        if expect.known_problem:
            test.__doc__ += " [expected failure: template limitation]"
            test = unittest.expectedFailure(test)
        setattr(TransformFixtures, test.__name__, test)


add_fixture_tests()


class SharedRun(KeepWorkOnFailure):
    """The run itself: fixtures, publishes, and an msbuild log without stray diagnostics."""

    def test_every_fixture_file_has_expectations(self):
        files = sorted(p.stem for p in CONFIGS.glob("*.config"))
        self.assertEqual(files, sorted(FIXTURES), "configs/*.config and FIXTURES differ")

    def test_fixtures_are_well_formed(self):
        for name in FIXTURES:
            with self.subTest(fixture=name):
                ET.parse(CONFIGS / f"{name}.config")

    def test_publishes_made_two_different_secrets(self):
        if RUN.error:
            self.fail(RUN.error)
        self.assertNotEqual(RUN.secrets[1], RUN.secrets[2])
        for secret in RUN.secrets.values():
            self.assertRegex(secret, r"^[A-Za-z0-9_-]{22,}$")

    def test_msbuild_log_names_every_problem(self):
        """Every warning or error in the msbuild log belongs to a fixture (the fixture tests show it)."""
        if RUN.error:
            self.fail(RUN.error)
        self.assertEqual(RUN.unattributed, [], f"msbuild diagnostics naming no fixture:\n{RUN.log}")
        known = {name for name, expect in FIXTURES.items() if expect.known_problem}
        errors_expected = any(RUN.diagnostics.get((name, 1)) for name in known)
        unexpected = {key: lines for key, lines in RUN.diagnostics.items() if key[0] not in known}
        if RUN.returncode != 0:
            self.assertTrue(unexpected or errors_expected,
                            f"msbuild failed (exit {RUN.returncode}) without a diagnostic:\n{RUN.log}")

    def test_default_namespace_fails_loudly(self):
        """namespace_v2: whatever XDT does, it must not write a result silently missing the secret."""
        if RUN.error:
            self.fail(RUN.error)
        output = RUN.output("namespace_v2", 1)
        if output.is_file():
            self.assertEqual([e.get("value") for e in secret_adds(Doc(output))], [RUN.secrets[1]])
        else:
            errors = [line for line in RUN.diagnostics.get(("namespace_v2", 1), [])
                      if re.search(r"\berror\b", line)]
            self.assertTrue(errors, f"no output and no error for namespace_v2:\n{RUN.log}")
            self.assertNotEqual(RUN.returncode, 0, "msbuild succeeded though TransformXml failed")


# --------------------------------------------------------------------------------------------
# A broken template is refused before anything is written.

class BrokenTemplate(KeepWorkOnFailure):
    def test_malformed_template_is_reported_with_its_location(self):
        text = TEMPLATE.read_text(encoding="utf-8")
        good = 'stopProcessing="true"'
        self.assertEqual(text.count(good), 1, f"{TEMPLATE} changed: cannot place the XML error")
        line = text[:text.index(good)].count("\n") + 1
        broken_text = text.replace(good, "stopProcessing=true")  # unquoted attribute value
        with tempfile.TemporaryDirectory(prefix="ptvsd-xdt-broken-") as work:
            template = Path(work) / "broken.config"
            template.write_text(broken_text, encoding="utf-8")
            with self.assertRaises(ET.ParseError):
                ET.fromstring(broken_text)
            project = Path(work) / "site"
            project.mkdir()
            result = run([tool(), "publish", "--project", str(project), "--template", str(template)])
            self.assertEqual(result.returncode, 3, f"exit {result.returncode}; stderr:\n{result.stderr}")
            match = re.search(re.escape(str(template)) + r"\((\d+),(\d+)\): error PTVSD010:", result.stderr)
            self.assertIsNotNone(match, f"no '{template}(line,col): error PTVSD010:' in:\n{result.stderr}")
            self.assertEqual(int(match.group(1)), line, f"error line; stderr:\n{result.stderr}")
            self.assertFalse((project / "web.debug.config").exists(), "web.debug.config was written")
            self.assertEqual(sorted(p.name for p in project.iterdir() if p.name != ".ptvsd-publish.lock"), [],
                             "files left in the project")


if __name__ == "__main__":
    unittest.main(verbosity=2)
