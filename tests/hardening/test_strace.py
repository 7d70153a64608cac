"""The outside fault sweep: the real, unmodified binary run under Debian's strace, which makes one
system call fail (`-e inject=SYSCALL:error=ERRNO:when=N`), or lie about a write (`retval=1`: one
byte claimed, none written), or kills the process at that call (`signal=KILL`). The compiled-in
seam (test_faults.py) only fails what the code routes through it; this cannot be routed around.

For each scenario a clean run is traced first and its calls counted per system call, the dynamic
loader's calls set aside (failing those tests the loader, not the tool). Then each call is failed
in turn, up to CAP calls per system call and error (spread over first to last when there are more).
Every run must either succeed with a correct result, or exit 4 or 5 with a canonical error and
change nothing (bytes, modes, links), leave no temp file and show no secret. Every kill must leave
each file its old version or a whole new one, and a config never newer than its delivered secret.

    cd tests/hardening && PTVSD_PUBLISH=... python3 -m unittest -v test_strace

PTVSD_STRACE_CAP sets CAP (default 4); the closing line counts the runs.
"""

import hashlib
import os
import re
import shutil
import stat
import subprocess
import unittest

from harness import (CONFIG, TOOL, HardeningTest, candidate_secrets, only_value_changed, read,
                     secret_shaped, secret_values, snapshot, snapshot_difference, temp_files,
                     user_config, windows_program, write)

STRACE = shutil.which("strace")
CAP = int(os.environ.get("PTVSD_STRACE_CAP", "4"))
# The calls the sweep fails, and how. "retval=1" claims one byte written while writing none.
FAULTS = {
    "openat": ["error=EACCES", "error=ENOENT"],  # ENOENT: a folder removed during the run
    "read": ["error=EIO"], "pread64": ["error=EIO"],
    "write": ["error=ENOSPC", "retval=1"], "fsync": ["error=EIO"],
    "rename": ["error=EXDEV", "error=EBUSY"], "renameat2": ["error=EXDEV"],
    "link": ["error=EPERM"], "unlink": ["error=EACCES"], "mkdir": ["error=EACCES"],
    "fchmod": ["error=EPERM"], "fchown": ["error=EPERM"], "flock": ["error=ENOLCK"],
    "fcntl": ["error=EINVAL"], "close": ["error=EIO"],
}
KILLED = ["openat", "write", "fsync", "rename", "renameat2", "link", "unlink", "close"]
CALL = re.compile(r"^(?:\d+ +)?(\w+)\((.*)$")
NEW_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")
MASK = re.compile(r"^::add-mask::\S+$", re.M)
TALLY = {"failed": 0, "tolerated": 0, "killed": 0, "scenarios": set(), "syscalls": set()}


def setUpModule():
    if not STRACE:
        raise unittest.SkipTest("strace is not installed (.ci/install-deps.sh installs it)")


def tearDownModule():
    print(f"\nstrace sweep: {TALLY['failed']} runs failed by an injected fault and checked "
          f"unchanged, {TALLY['tolerated']} succeeded despite one and were checked correct, "
          f"{TALLY['killed']} killed at a call and checked whole; {len(TALLY['scenarios'])} "
          f"scenarios; system calls: {', '.join(sorted(TALLY['syscalls']))}")


def spread(indices, cap):
    """At most `cap` of `indices`: the first, the last and evenly spaced ones between."""
    if len(indices) <= cap:
        return list(indices)
    step = (len(indices) - 1) / (cap - 1)
    return sorted({indices[round(i * step)] for i in range(cap)})


def loader_end(lines):
    """Index of the first traced call after the dynamic loader: after the close that follows
    the last shared library opened."""
    last_library = max((i for i, line in enumerate(lines)
                        if line[0] in ("openat", "open") and ".so" in line[1]), default=-1)
    for i in range(last_library + 1, len(lines)):
        if lines[i][0] == "close":
            return i + 1
    return 0


class StraceSweepTest(HardeningTest):
    temp_prefix = "ptvsd-strace-"

    def strace(self, args, inject=None, trace_file=None, env=None):
        command = [STRACE, "-f", "-qq", "-e", "signal=none",
                   "-e", "trace=" + ",".join(FAULTS)]
        if inject:
            command += ["-e", "inject=" + inject]
        command += ["-o", trace_file or os.devnull, TOOL, *args]
        full_env = dict(os.environ)
        full_env.pop("PTVSD_FAULT", None)
        full_env.update(env or {})
        done = subprocess.run(command, capture_output=True, env=full_env, timeout=120)
        done.stdout = done.stdout.decode("utf-8", "surrogateescape")
        done.stderr = done.stderr.decode("utf-8", "surrogateescape")
        return done

    def clean_trace(self, scenario):
        """The traced calls of a clean run of `scenario`, in order: [(name, rest of the line)]."""
        scenario.setup()
        trace = os.path.join(self.work, "trace")
        done = self.strace(scenario.args, trace_file=trace, env=scenario.env)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(trace, encoding="utf-8", errors="replace") as f:
            lines = [(m.group(1), m.group(2)) for m in map(CALL.match, f) if m]
        os.remove(trace)
        return lines

    def counted_calls(self, scenario):
        """{syscall: [call numbers (from 1) after the loader]}, and the write calls to a file."""
        lines = self.clean_trace(scenario)
        first = loader_end(lines)
        calls, file_writes, seen = {}, [], {}
        for i, (name, rest) in enumerate(lines):
            seen[name] = seen.get(name, 0) + 1
            if i < first:
                continue
            calls.setdefault(name, []).append(seen[name])
            if name == "write" and not rest.startswith(("1,", "2,")):
                file_writes.append(seen[name])
        return calls, file_writes

    def sweep(self, scenario):
        TALLY["scenarios"].add(scenario.name)
        calls, file_writes = self.counted_calls(scenario)
        for syscall, faults in FAULTS.items():
            for fault in faults:
                # A lying write to stdout or stderr garbles a line; only file writes are lied about.
                numbers = file_writes if fault == "retval=1" else calls.get(syscall, [])
                for n in spread(numbers, CAP):
                    TALLY["syscalls"].add(syscall)
                    with self.subTest(syscall=syscall, fault=fault, call=n):
                        self.faulted_run(scenario, f"{syscall}:{fault}:when={n}")
        for syscall in KILLED:
            for n in spread(calls.get(syscall, []), CAP):
                with self.subTest(syscall=syscall, kill=n):
                    self.killed_run(scenario, f"{syscall}:signal=KILL:when={n}")

    def faulted_run(self, scenario, inject):
        scenario.setup()
        before = snapshot(scenario.root, strict=False)
        secrets = candidate_secrets(scenario.root)
        done = self.strace(scenario.args, inject=inject, env=scenario.env)
        self.assertNoSecretShown(done, secrets | candidate_secrets(scenario.root), scenario.root)
        if done.returncode == 0:
            TALLY["tolerated"] += 1
            scenario.check_new(self)
        else:
            TALLY["failed"] += 1
            self.assertIn(done.returncode, (4, 5), f"{inject}: {done.stderr!r}")
            self.assertRegex(done.stderr, r"(?m)^\S.*?: error PTVSD0\d\d: \S", inject)
            self.assertEqual(snapshot_difference(before, snapshot(scenario.root, strict=False)), "",
                             f"{inject}: {done.stderr!r}")
        # A kept old file that could not be removed is allowed only when a warning names it.
        unnamed = [path for path in temp_files(scenario.root)
                   if not re.search(rf"(?m)^{re.escape(path)}: warning PTVSD037: ", done.stderr)]
        self.assertEqual(unnamed, [], inject)

    def killed_run(self, scenario, inject):
        scenario.setup()
        before = {path: read(path) if os.path.exists(path) else None for path in scenario.targets}
        done = self.strace(scenario.args, inject=inject, env=scenario.env)
        TALLY["killed"] += done.returncode != 0
        scenario.check_old_or_new(self, before)

    def assertNoSecretShown(self, done, secrets, root):
        stdout = MASK.sub("", done.stdout)  # masking lines carry the secret by design
        for secret in secrets:
            self.assertNotIn(secret, stdout)
            self.assertNotIn(secret, done.stderr)
        self.assertEqual(secret_shaped(stdout, root), [])
        self.assertEqual(secret_shaped(done.stderr, root), [])

    def test_mask_is_printed_before_any_file_holds_the_secret(self):
        # Issue 19, item 5: the masking line reaches stdout before the first rename of any file.
        calls = self.clean_trace(Publish(self, "generated", secret_file=True, export=True))
        mask = next(i for i, (name, rest) in enumerate(calls)
                    if name == "write" and rest.startswith('1, "::add-mask::'))
        first_rename = next(i for i, (name, _) in enumerate(calls) if name.startswith("rename"))
        self.assertLess(mask, first_rename)

    # -- scenarios

    def setUp(self):
        super().setUp()
        self.work = self.folder("work")

    def test_publish_new_config(self):
        self.sweep(Publish(self, "new"))

    def test_publish_generated_config(self):
        self.sweep(Publish(self, "generated"))

    def test_publish_user_owned_config(self):
        self.sweep(Publish(self, "user"))

    def test_publish_dir_absent(self):
        self.sweep(Publish(self, "generated", publish_dir="absent"))

    def test_publish_dir_empty(self):
        self.sweep(Publish(self, "generated", publish_dir="empty"))

    def test_publish_dir_previous(self):
        self.sweep(Publish(self, "generated", publish_dir="previous"))

    def test_publish_secret_file(self):
        self.sweep(Publish(self, "generated", secret_file=True))

    def test_publish_export_github(self):
        self.sweep(Publish(self, "generated", export=True))

    def test_rotate_two_files(self):
        self.sweep(Rotate(self, folder=False))

    def test_rotate_folder(self):
        self.sweep(Rotate(self, folder=True))


PROXY = windows_program(os.urandom(64 << 10))


class Scenario:
    def __init__(self, test, name):
        self.test = test
        self.name = name
        self.root = os.path.join(test.tmp, "s")
        self.env = {}
        self.targets = []

    def fresh(self):
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root)


class Publish(Scenario):
    def __init__(self, test, config, publish_dir=None, secret_file=False, export=False):
        super().__init__(test, f"publish {config} {publish_dir or ''} {secret_file} {export}")
        self.config_kind, self.publish_dir = config, publish_dir
        self.project = os.path.join(self.root, "site")
        self.config = os.path.join(self.project, CONFIG)
        self.out = os.path.join(self.root, "out")
        self.proxy = os.path.join(test.tmp, "proxy-source")
        write(self.proxy, PROXY, mode=0o755)
        self.args = ["publish", "--project", self.project]
        self.targets = [self.config]
        if publish_dir:
            self.args += ["--publish-dir", self.out, "--proxy", self.proxy]
            self.targets += [os.path.join(self.out, "bin", "ptvsd-proxy.exe"),
                             os.path.join(self.out, "bin", "ptvsd-proxy.exe.sha256")]
        self.secret_file = os.path.join(self.root, "delivered", "secret.txt") if secret_file else None
        if secret_file:
            self.args += ["--secret-file", self.secret_file]
            self.targets.append(self.secret_file)
        self.output = os.path.join(self.root, "github-output") if export else None
        if export:
            self.args += ["--ci", "github", "--export", "PTVSD_SECRET"]
            self.env = {"GITHUB_OUTPUT": self.output}
            self.targets.append(self.output)
        self.generated = None

    def setup(self):
        if self.generated is None and self.config_kind == "generated":
            self.fresh()
            os.makedirs(self.project)
            self.test.assertOk(self.test.tool("publish", "--project", self.project))
            self.generated = read(self.config)
        self.fresh()
        os.makedirs(self.project)
        if self.config_kind == "generated":
            write(self.config, self.generated, mode=0o644)
        elif self.config_kind == "user":
            write(self.config, user_config("old-secret-value-one"), mode=0o640)
        if self.publish_dir in ("empty", "previous"):
            os.makedirs(os.path.join(self.out, "bin"))
        if self.publish_dir == "previous":
            write(self.targets[1], b"previous proxy", mode=0o755)
            write(self.targets[2], b"previous manifest\n", mode=0o644)
        if self.secret_file:
            os.makedirs(os.path.dirname(self.secret_file))
        if self.output:
            write(self.output, "earlier=1\n", mode=0o644)
        self.before_config = read(self.config) if os.path.exists(self.config) else None

    def new_secret(self, test):
        data = read(self.config)
        values = secret_values(data)
        test.assertEqual(len(values), 1)
        test.assertRegex(values[0], NEW_SECRET)
        if self.before_config is not None and self.config_kind == "user":
            test.assertIsNotNone(only_value_changed(self.before_config, data, b"old-secret-value-one"))
        return values[0]

    def check_new(self, test):
        secret = self.new_secret(test)
        if self.before_config is not None:
            test.assertNotIn(secret.encode(), self.before_config)
        mode = {"new": 0o600, "generated": 0o644, "user": 0o640}[self.config_kind]
        test.assertEqual(stat.S_IMODE(os.stat(self.config).st_mode), mode)
        if self.publish_dir:
            test.assertEqual(read(self.targets[1]), PROXY)
            test.assertEqual(read(self.targets[2]).split()[0].decode(), hashlib.sha256(PROXY).hexdigest())
        if self.secret_file:
            test.assertEqual(read(self.secret_file), secret.encode())
            test.assertEqual(stat.S_IMODE(os.stat(self.secret_file).st_mode), 0o600)
        if self.output:
            test.assertEqual(read(self.output), f"earlier=1\nPTVSD_SECRET={secret}\n".encode())

    def check_old_or_new(self, test, before):
        config_new = os.path.exists(self.config) and read(self.config) != before[self.config]
        secret = self.new_secret(test) if config_new else None
        if self.publish_dir:
            for path, new in ((self.targets[1], PROXY), (self.targets[2], None)):
                after = read(path) if os.path.exists(path) else None
                if after != before[path] and new is not None:
                    test.assertEqual(after, new, path)
        if self.secret_file:
            delivered = read(self.secret_file) if os.path.exists(self.secret_file) else None
            if config_new:
                test.assertEqual(delivered, secret.encode(), "a config newer than its delivered secret")
            elif delivered is not None:  # delivered first, the config not yet renamed: allowed
                test.assertRegex(delivered.decode(), NEW_SECRET)
        if self.output:
            after = read(self.output)
            if config_new:
                test.assertEqual(after, f"earlier=1\nPTVSD_SECRET={secret}\n".encode())
            elif after != b"earlier=1\n":
                test.assertRegex(after.decode(), r"^earlier=1\nPTVSD_SECRET=[A-Za-z0-9_-]{43}\n$")


class Rotate(Scenario):
    def __init__(self, test, folder):
        super().__init__(test, "rotate DIR" if folder else "rotate F1 F2")
        self.folder = folder
        parts = [("a",), ("a", "b"), ("c",)] if folder else [("x",), ("y",)]
        self.targets = [os.path.join(self.root, "D", *p, "web.config") for p in parts]
        self.args = ["rotate", os.path.join(self.root, "D")] if folder else ["rotate", *self.targets]

    def setup(self):
        self.fresh()
        for i, path in enumerate(self.targets):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write(path, user_config(f"old-secret-value-{i}", "\r\n" if i % 2 else "\n"), mode=0o644)

    def check_new(self, test):
        for i, path in enumerate(self.targets):
            new = only_value_changed(user_config(f"old-secret-value-{i}", "\r\n" if i % 2 else "\n").encode(),
                                     read(path), f"old-secret-value-{i}".encode())
            test.assertIsNotNone(new, path)
            test.assertRegex(new.decode(), NEW_SECRET)
            test.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)

    def check_old_or_new(self, test, before):
        for i, path in enumerate(self.targets):
            after = read(path)
            if after != before[path]:
                new = only_value_changed(before[path], after, f"old-secret-value-{i}".encode())
                test.assertIsNotNone(new, path)
                test.assertRegex(new.decode(), NEW_SECRET)


if __name__ == "__main__":
    unittest.main()
