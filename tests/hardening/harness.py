"""What every hardening suite shares: running the built tool, looking at a folder, and the checks
that follow every run (no secret on stdout/stderr, in the lock file or in a temp file; files
holding a secret that the run created are 0600).

    cd tests/hardening && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v

Standard library only. Each test works in its own temp folder, kept when PTVSD_KEEP_TEMP is set.
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
FAULTS_BUILT_IN = os.environ.get("PTVSD_FAULT_INJECTION", "") in ("1", "ON", "TRUE", "true", "on")

KEY = "WSGI_PTVSD_SECRET"
CONFIG = "web.debug.config"
LOCK = ".ptvsd-publish.lock"
SECRET_43 = re.compile(r"^[A-Za-z0-9_-]{43}$")
TEMP_FILE = re.compile(r"^\..*\.ptvsd-[0-9]+-[0-9a-f]+\.tmp$")
# Every value of the setting in raw bytes, so that malformed files are searched too.
SETTING_VALUE = re.compile(rb"""(?s)<add\b[^>]*?\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)')""")
OLD_MTIME = 1_000_000_000


def require_tool():
    # A missing tool is an error, never a skip: a CI run without it must not pass.
    if not TOOL:
        raise RuntimeError("PTVSD_PUBLISH is not set; point it at the built ptvsd-publish")
    if not os.access(TOOL, os.X_OK):
        raise RuntimeError(f"PTVSD_PUBLISH={TOOL!r} is not an executable file")


def write(path, data, mode=None):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path, "rb") as f:
        return f.read()


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


def candidate_secrets(root):
    """Every setting value found in any file under `root`: what must not leak."""
    found = set()
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path) or name == LOCK:
                continue
            if os.path.getsize(path) > 4_000_000:
                continue  # the big generated configs hold only test values
            for match in SETTING_VALUE.finditer(read(path)):
                value = match.group(1) or match.group(2) or b""
                if len(value) >= 16:  # generated secrets have 22+ characters; old test values 16+
                    found.add(value.decode("utf-8", "replace"))
    return found


def snapshot(root, strict=True):
    """What a failed run must not change. strict: also inode and mtime (nothing rewritten);
    otherwise bytes, mode and links only (a rollback rewrites a file with its old bytes)."""
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


class HardeningTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        require_tool()

    def setUp(self):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="ptvsd-hardening-"))
        self.addCleanup(self.remove_unless_failed)

    def remove_unless_failed(self):
        if os.environ.get("PTVSD_KEEP_TEMP"):
            print(f"\nkept {self.tmp}")
            return
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

    # -- running the tool, with the checks every run gets

    def tool(self, *args, cwd=None, env=None, may_print_secret=False, timeout=120):
        """Runs the tool, then checks that no secret that was or now is in the test folder
        appears on stdout or stderr (stdout allowed for `url`), in the lock files or in a temp
        file, and that a file holding a secret that the run created is 0600."""
        before = self.secret_files()
        secrets = candidate_secrets(self.tmp)
        full_env = dict(os.environ)
        full_env.pop("PTVSD_FAULT", None)
        full_env.update(env or {})
        done = subprocess.run([TOOL, *map(str, args)], cwd=cwd, capture_output=True,
                              timeout=timeout, env=full_env)
        done.stdout = done.stdout.decode("utf-8", "surrogateescape")
        done.stderr = done.stderr.decode("utf-8", "surrogateescape")
        secrets |= candidate_secrets(self.tmp)
        self.assertNoLeak(done, secrets, may_print_secret)
        self.assertNewSecretFilesPrivate(before)
        return done

    def secret_files(self):
        return {os.path.join(folder, name) for folder, _, files in os.walk(self.tmp)
                for name in files if name.endswith(".config")}

    def assertNoLeak(self, done, secrets, may_print_secret=False):
        for secret in secrets:
            if not may_print_secret:
                self.assertNotIn(secret, done.stdout, "secret on stdout")
            self.assertNotIn(secret, done.stderr, "secret on stderr")
        for folder, _, files in os.walk(self.tmp):
            for name in files:
                path = os.path.join(folder, name)
                if name == LOCK:
                    self.assertEqual(os.path.getsize(path), 0, f"{path}: the lock file holds data")
                if TEMP_FILE.match(name) and not os.path.islink(path) and os.path.isfile(path):
                    data = read(path)
                    for secret in secrets:
                        self.assertNotIn(secret.encode(), data, f"{path}: a temp file left holds a secret")

    def assertNewSecretFilesPrivate(self, before):
        for path in self.secret_files() - before:
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            if SETTING_VALUE.search(read(path)) and KEY.encode() in read(path):
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600,
                                 f"{path}: a new file holding a secret is not 0600")

    def assertOk(self, done):
        self.assertEqual(done.returncode, 0, f"stdout: {done.stdout!r}\nstderr: {done.stderr!r}")

    def assertError(self, done, exit_code, code, path=None):
        """Exit code, empty stdout, and 'origin: error PTVSDnnn: message' on stderr."""
        self.assertEqual(done.returncode, exit_code, f"stderr: {done.stderr!r}")
        self.assertEqual(done.stdout, "")
        origin = re.escape(path) + r"(\(\d+,\d+\))?" if path is not None else r"\S.*?"
        self.assertRegex(done.stderr, rf"(?m)^{origin}: error {code}: \S")

    def tool_unchanged(self, *args, strict=True, **kwargs):
        """Runs the tool and checks that nothing under the test folder changed and that no temp
        file was left behind."""
        age(self.tmp)
        before = snapshot(self.tmp, strict)
        done = self.tool(*args, **kwargs)
        self.assertUnchanged(before, strict, done)
        self.assertEqual(temp_files(self.tmp), [])
        return done

    def assertUnchanged(self, before, strict, done):
        difference = snapshot_difference(before, snapshot(self.tmp, strict))
        self.assertEqual(difference, "", f"stderr: {done.stderr!r}")

    def assertOnlyValueChanged(self, before, after, old_value):
        """`after` is `before` with the one occurrence of `old_value` replaced, and well-formed;
        returns the new value."""
        new = only_value_changed(before, after, old_value.encode())
        self.assertIsNotNone(new, "bytes outside the value changed")
        return new.decode("utf-8")
