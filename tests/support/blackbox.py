"""What the black-box suites of the built ptvsd-publish (tests/cli, tests/hardening, tests/package,
tests/release, tests/msbuild) share: running the tool, the names and values it writes, looking at
a folder before and after a run, and at the win-x64 programs the builds make.

Those suites put this folder on sys.path relative to their own file, so that they run the same
from ctest and by hand. Standard library only. Each test works in its own temp folder, kept when
PTVSD_KEEP_TEMP is set.
"""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

TOOL = os.environ.get("PTVSD_PUBLISH", "")

KEY = "WSGI_PTVSD_SECRET"
CONFIG = "web.debug.config"
LOCK = ".ptvsd-publish.lock"
SECRET_43 = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Looser than the tool's `.<name>.ptvsd-<pid>-<hex>.tmp`, so that a temp file left behind under a
# changed naming scheme is still found.
TEMP_FILE = re.compile(r"^\..*\.ptvsd-.*\.tmp$")
OLD_MTIME = 1_000_000_000  # given to every file before a run that must change nothing


def require_tool():
    # A missing tool is an error, never a skip: a CI run without it must not pass.
    if not TOOL:
        raise RuntimeError("PTVSD_PUBLISH is not set; point it at the built ptvsd-publish")
    if not os.access(TOOL, os.X_OK):
        raise RuntimeError(f"PTVSD_PUBLISH={TOOL!r} is not an executable file")


def run(*args, cwd=None, env=None, timeout=60):
    """Runs the tool; stdout and stderr come back as text, undecodable bytes kept as escapes."""
    done = subprocess.run([TOOL, *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          timeout=timeout)
    done.stdout = done.stdout.decode("utf-8", "surrogateescape")
    done.stderr = done.stderr.decode("utf-8", "surrogateescape")
    return done


def assert_tool_works(test, tool, version=None):
    """`tool`, a ptvsd-publish from elsewhere (an install's, a release's, a static link's), as a
    pipeline uses it, from a temp folder: --version (when `version` is given), then publish with
    each template and check, its templates found beside it."""
    if version is not None:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True)
        test.assertEqual((done.returncode, done.stdout.strip()), (0, f"ptvsd-publish {version}"), done.stderr)
    with tempfile.TemporaryDirectory(prefix="ptvsd-use-") as temp:
        project = os.path.join(temp, "site")
        os.mkdir(project)
        for template in ("native", "classic"):
            done = subprocess.run([tool, "publish", "--project", project, "--template", template],
                                  cwd=temp, capture_output=True, text=True)
            test.assertEqual(done.returncode, 0, done.stderr)
            test.assertIn(f"template '{template}'", done.stderr)
            done = subprocess.run([tool, "check", "--project", project], cwd=temp, capture_output=True,
                                  text=True)
            test.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        test.assertTrue(os.path.isfile(os.path.join(project, CONFIG)))


def assert_needs_only_glibc(test, *programs):
    """Every shared library the ELF `programs` need is glibc's (tests/package/needed_libraries.sh)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "package",
                          "needed_libraries.sh")
    done = subprocess.run(["sh", script, *programs], capture_output=True, text=True)
    test.assertEqual(done.returncode, 0, done.stdout + done.stderr)


def write(path, data, mode=None):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def windows_program(body=b""):
    """Bytes that `publish` accepts as the site's proxy: a PE header for x64 (MZ, e_lfanew at 0x3c
    pointing at "PE\\0\\0" and machine 0x8664), then `body`. Not runnable; the tool reads only the
    header."""
    header = bytearray(0x40)
    header[0:2] = b"MZ"
    header[0x3c:0x40] = (0x40).to_bytes(4, "little")
    return bytes(header) + b"PE\0\0" + (0x8664).to_bytes(2, "little") + body


def is_pe_x64(data):
    """Whether `data` (bytes) is a win-x64 program: the same reading of the header as the tool's,
    written again so that the two check each other."""
    if data[:2] != b"MZ" or len(data) < 0x40:
        return False
    pe = int.from_bytes(data[0x3C:0x40], "little")
    return data[pe:pe + 4] == b"PE\0\0" and int.from_bytes(data[pe + 4:pe + 6], "little") == 0x8664


def debug_sections(path):
    """The .debug_* sections of the PE program at `path` (none when it is stripped), as MinGW's
    objdump lists them."""
    listing = subprocess.run(["x86_64-w64-mingw32-objdump", "-h", path], capture_output=True, text=True,
                             check=True).stdout
    return [line.split()[1] for line in listing.splitlines() if ".debug_" in line]


def user_config(value="old-secret-value", newline="\n"):
    """A hand-written (user-owned: no marker) config holding the setting."""
    return newline.join(['<?xml version="1.0" encoding="utf-8"?>', "<configuration>",
                         "  <appSettings>", f'    <add key="{KEY}" value="{value}"/>',
                         "  </appSettings>", "</configuration>", ""])


def secret_values(data):
    """Values of the one setting in well-formed `data` (bytes), parsed as XML."""
    root = ET.fromstring(data)
    return [add.get("value") for add in root.iter("add")
            if add.get("key") == KEY and add.get("value") is not None]


def secret_of(path):
    """The value of the one setting in the file at `path`."""
    values = secret_values(read(path))
    if len(values) != 1:
        raise AssertionError(f"{path}: expected one {KEY} setting, found {values!r}")
    return values[0]


def snapshot(root, strict=True):
    """What a run that must change nothing may not change; the (documented, empty) lock file
    aside. strict: also inode and mtime (nothing rewritten); otherwise bytes, mode and links only
    (a rollback rewrites a file with its old bytes)."""
    entries = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if name == LOCK:
                continue
            info = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(info.st_mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                entries[rel] = ("dir", stat.S_IMODE(info.st_mode))
            elif stat.S_ISREG(info.st_mode):
                data = read(path)
                extra = (info.st_ino, info.st_mtime_ns) if strict else ()
                entries[rel] = ("file", stat.S_IMODE(info.st_mode), data) + extra
            else:
                entries[rel] = ("other", stat.S_IFMT(info.st_mode))
    return entries


def snapshot_difference(before, after):
    """A short description of what differs between two snapshots ("" when nothing does): a
    full diff of megabytes of file contents would take unittest minutes to print."""
    changes = []
    for rel in sorted(set(before) | set(after)):
        old, new = before.get(rel), after.get(rel)
        if old == new:
            continue
        if old is None or new is None:
            changes.append(f"{rel}: {'created' if old is None else 'removed'}")
        else:
            what = [name for name, i in (("kind", 0), ("mode", 1), ("bytes", 2), ("inode", 3),
                                         ("mtime", 4)) if i < len(old) and old[i:i + 1] != new[i:i + 1]]
            changes.append(f"{rel}: {', '.join(what)} changed")
    return "; ".join(changes)


def age(root):
    """Backdates every regular file, so that any rewrite changes its mtime."""
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                os.utime(path, (OLD_MTIME, OLD_MTIME))


def temp_files(root):
    return sorted(os.path.join(folder, name) for folder, _, files in os.walk(root)
                  for name in files if TEMP_FILE.match(name))


def only_value_changed(before, after, old_value):
    """The new value when `after` is `before` with the one occurrence of `old_value` (bytes)
    replaced, else None."""
    if before.count(old_value) != 1:
        raise AssertionError("test data: the old value must occur once")
    at = before.index(old_value)
    prefix, suffix = before[:at], before[at + len(old_value):]
    if len(after) < len(prefix) + len(suffix) or not after.startswith(prefix) \
            or not after.endswith(suffix):
        return None
    return after[len(prefix):len(after) - len(suffix)]


class ToolTest(unittest.TestCase):
    """A test in its own temp folder, self.tmp (a real path: the tool reports real paths)."""

    maxDiff = None
    temp_prefix = "ptvsd-test-"

    def setUp(self):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix=self.temp_prefix))
        self.addCleanup(self.remove_temp_folder)

    def remove_temp_folder(self):
        if os.environ.get("PTVSD_KEEP_TEMP"):
            print(f"\nkept {self.tmp}")
            return
        # Tests take permissions away from folders to make the tool fail; rmtree needs them back.
        for folder, dirs, _ in os.walk(self.tmp):
            for name in dirs:
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    os.chmod(path, 0o755)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def folder(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    def assertOk(self, done):
        self.assertEqual(done.returncode, 0, f"stdout: {done.stdout!r}\nstderr: {done.stderr!r}")

    def unchanged_by(self, run_tool, strict=True):
        """Backdates the test folder's files, calls run_tool() and checks that it changed nothing
        there (see snapshot) and left no temp file; returns what run_tool() returned."""
        age(self.tmp)
        before = snapshot(self.tmp, strict)
        done = run_tool()
        self.assertUnchanged(before, strict, done)
        self.assertEqual(temp_files(self.tmp), [])
        return done

    def assertUnchanged(self, before, strict, done):
        difference = snapshot_difference(before, snapshot(self.tmp, strict))
        self.assertEqual(difference, "", f"stderr: {done.stderr!r}")

    def assertOnlyValueChanged(self, before, after, old_value):
        """`after` is `before` with the one occurrence of `old_value` replaced; returns the new
        value."""
        new = only_value_changed(before, after, old_value.encode())
        self.assertIsNotNone(new, "bytes outside the value changed")
        return new.decode("utf-8")


class CliTest(ToolTest):
    """A test of tests/cli: the usual assertions on one run of the tool."""

    temp_prefix = "ptvsd-cli-"

    def generated_project(self, *parts):
        """A folder with a web.debug.config written by a first publish."""
        project = self.folder(*parts)
        self.assertOk(run("publish", "--project", project))
        return project

    def assertError(self, result, exit_code, code, path=None, line=None, column=None):
        """Exit code, empty stdout, and a line 'path(line,col): error PTVSDnnn: ...' on stderr."""
        self.assertEqual(result.returncode, exit_code, f"stderr: {result.stderr!r}")
        self.assertEqual(result.stdout, "")
        origin = re.escape(path) if path is not None else "ptvsd-publish"
        if line is not None:
            origin += rf"\({line},{column if column is not None else r'[0-9]+'}\)"
        self.assertRegex(result.stderr, rf"(?m)^{origin}: error {code}: \S")

    def assertSilentAbout(self, result, *secrets):
        for secret in secrets:
            self.assertTrue(secret)
            self.assertNotIn(secret, result.stdout)
            self.assertNotIn(secret, result.stderr)

    def run_unchanged(self, *args, cwd=None):
        """run(*args), which must change nothing (see ToolTest.unchanged_by)."""
        return self.unchanged_by(lambda: run(*args, cwd=cwd))
