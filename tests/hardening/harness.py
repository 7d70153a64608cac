"""What every hardening suite shares: the helpers of tests/support/blackbox.py, and the checks that
follow every run (no secret on stdout/stderr, not even one that was never written, nor in the lock
file or in a temp file; files holding a secret that the run created are 0600).

    cd tests/hardening && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v

Standard library only. Each test works in its own temp folder, kept when PTVSD_KEEP_TEMP is set.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

# The suites import the shared helpers from here too, so that only this file needs the path above.
from blackbox import (CONFIG, KEY, LOCK, SECRET_43, TEMP_FILE, TOOL, ToolTest,  # noqa: E402,F401
                      age, only_value_changed, read, require_tool, run, secret_values, snapshot,
                      snapshot_difference, temp_files, user_config, windows_program, write)

NOBODY = 65534
IS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
AS_NOBODY = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]

FAULTS_BUILT_IN = os.environ.get("PTVSD_FAULT_INJECTION", "") in ("1", "ON", "TRUE", "true", "on")
# Every value of the setting in raw bytes, so that malformed files are searched too.
SETTING_VALUE = re.compile(rb"""(?s)<add\b[^>]*?\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)')""")


# A secret a failed run made but never wrote is in no file to compare with: any word shaped like
# a generated secret (base64url, 22+ characters, upper and lower case and a digit) stands for it.
SECRET_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])(?=[\w-]*[0-9])(?=[\w-]*[a-z])(?=[\w-]*[A-Z])"
                           r"[A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])", re.ASCII)


def bound_by_permissions():
    """The command prefix that runs the tool as a user whom a folder's mode binds: none for any
    user but root; for root, which reads every folder whatever its mode, setpriv as nobody (the
    test then makes its files writable by others, see share_with_nobody). Skips the test where
    neither is possible (root without setpriv)."""
    if not IS_ROOT:
        return []
    if not SETPRIV:
        raise unittest.SkipTest("running as root without setpriv: nobody to whom a folder's mode applies")
    return AS_NOBODY


def share_with_nobody(root, tree):
    """Lets nobody (bound_by_permissions under root) read and write `tree`, a folder below the
    test folder `root`: its folders 0777, its files 0666, `root` 0755."""
    os.chmod(root, 0o755)
    for folder, _, files in os.walk(tree):
        os.chmod(folder, 0o777)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o666)


def run_as(prefix, *args, env=None, timeout=60):
    """Runs the tool behind `prefix` (AS_NOBODY, bound_by_permissions()), like blackbox.run."""
    done = subprocess.run([*prefix, TOOL, *args], capture_output=True, env=env, timeout=timeout)
    done.stdout = done.stdout.decode("utf-8", "surrogateescape")
    done.stderr = done.stderr.decode("utf-8", "surrogateescape")
    return done


def secret_shaped(output, root):
    """Words in `output` (str or bytes) shaped like a generated secret, paths under `root` aside."""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    return SECRET_SHAPED.findall(output.replace(root, ""))


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


class HardeningTest(ToolTest):
    temp_prefix = "ptvsd-hardening-"

    @classmethod
    def setUpClass(cls):
        require_tool()

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
        done = run(*args, cwd=cwd, env=full_env, timeout=timeout)
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
        if not may_print_secret:
            self.assertEqual(secret_shaped(done.stdout, self.tmp), [], "secret-shaped word on stdout")
        self.assertEqual(secret_shaped(done.stderr, self.tmp), [], "secret-shaped word on stderr")
        for folder, _, files in os.walk(self.tmp):
            for name in files:
                path = os.path.join(folder, name)
                if name == LOCK and not os.path.islink(path):
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

    def assertError(self, done, exit_code, code, path=None):
        """Exit code, empty stdout, and 'origin: error PTVSDnnn: message' on stderr."""
        self.assertEqual(done.returncode, exit_code, f"stderr: {done.stderr!r}")
        self.assertEqual(done.stdout, "")
        origin = re.escape(path) + r"(\(\d+,\d+\))?" if path is not None else r"\S.*?"
        self.assertRegex(done.stderr, rf"(?m)^{origin}: error {code}: \S")

    def tool_unchanged(self, *args, strict=True, **kwargs):
        """self.tool(*args, **kwargs), which must change nothing (see ToolTest.unchanged_by)."""
        return self.unchanged_by(lambda: self.tool(*args, **kwargs), strict)
