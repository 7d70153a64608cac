"""Injected I/O faults: every call of every file operation a run makes is made to fail in turn
(PTVSD_FAULT=<step>:<nth>, nth = 1, 2, ... until a run no longer reaches it and succeeds). Each
failed run must exit 4 with a canonical PTVSD030/031 error, leave every file's bytes and mode as
they were, leave no temp file, and show no secret.

Needs a tool built with -DPTVSD_FAULT_INJECTION=ON (tests/run.sh does it); otherwise ctest lists
the suite as disabled, and run by hand it skips, saying why.
"""

import os
import re
import shutil
import unittest

from harness import (CONFIG, FAULTS_BUILT_IN, HardeningTest, SECRET_43, age, read, run,
                     secret_values, snapshot, temp_files, user_config, windows_program, write)

STEPS = ["create", "mode", "write", "short-write", "flush", "close", "rename", "open", "read", "lock"]
WRITE_STEPS = ["create", "mode", "write", "short-write", "flush", "close", "rename"]
# Listing a folder `rotate DIR` or a pattern must read: unreadable (EACCES), or removed between its
# parent's listing and its own (ENOENT). Issue 19: either used to drop the folder's configs silently.
LIST_STEPS = ["list", "list-gone"]
MAX_CALLS = 32  # more calls of one step than any run makes (the 100 kB proxy is read in 64 KiB
#                 chunks, three times over): reaching it means a fault never ends
FAILED_RUNS = []  # (test, step, nth) of every run a fault made fail, for the closing count


def tearDownModule():
    steps = sorted({step for _, step, _ in FAILED_RUNS})
    print(f"\nfaults: {len(FAILED_RUNS)} runs failed by an injected fault, every one checked "
          f"unchanged; per step: " + ", ".join(
              f"{step} {sum(1 for _, s, _ in FAILED_RUNS if s == step)}" for step in steps))


def setUpModule():
    if not FAULTS_BUILT_IN:
        raise unittest.SkipTest("the tool was built without -DPTVSD_FAULT_INJECTION=ON, so "
                                "PTVSD_FAULT cannot make its file operations fail")


class FaultTest(HardeningTest):
    def run_with_fault(self, args, fault):
        """One run with `fault`; when it fails, checks that it changed nothing. Returns it."""
        age(self.tmp)
        before = snapshot(self.tmp, strict=False)
        done = self.tool(*args, env={"PTVSD_FAULT": fault})
        if done.returncode != 0:
            self.assertError(done, 4, "PTVSD03[01]")
            self.assertUnchanged(before, False, done)
            self.assertEqual(temp_files(self.tmp), [], fault)
        return done

    def sweep(self, setup, steps=STEPS, also=""):
        """For each step, fails its 1st, 2nd, ... call (setup() gives the arguments of each
        run) until a run succeeds; `also` is a fault spec added to every run. Returns
        {step: number of calls that were made to fail}."""
        failed = {}
        for step in steps:
            failed[step] = 0
            for nth in range(1, MAX_CALLS + 1):
                with self.subTest(step=step, nth=nth):
                    done = self.run_with_fault(setup(), ",".join(filter(None, [also, f"{step}:{nth}"])))
                if done.returncode == 0:
                    break
                failed[step] = nth
                FAILED_RUNS.append((self.id(), step, nth))
            else:
                self.fail(f"{step}: still failing at call {MAX_CALLS}")
        return failed

    def assertEveryStepFailed(self, failed, steps):
        for step in steps:
            self.assertGreater(failed[step], 0, f"no {step} call was made to fail: {failed}")

    # -- publish

    def test_publish_new_config(self):
        project = self.folder("site")
        config = os.path.join(project, CONFIG)

        def fresh():
            if os.path.exists(config):
                os.remove(config)
            return ["publish", "--project", project]

        failed = self.sweep(fresh)
        self.assertEveryStepFailed(failed, STEPS)

    def test_publish_generated_config(self):
        project = self.folder("site")
        self.assertOk(self.tool("publish", "--project", project))
        failed = self.sweep(lambda: ["publish", "--project", project])
        self.assertEveryStepFailed(failed, STEPS)
        self.assertRegex(secret_values(read(os.path.join(project, CONFIG)))[0], SECRET_43)

    def test_publish_user_owned_config(self):
        project = self.folder("site")
        write(os.path.join(project, CONFIG), user_config(), mode=0o640)
        failed = self.sweep(lambda: ["publish", "--project", project])
        self.assertEveryStepFailed(failed, STEPS)
        self.assertEqual(os.stat(os.path.join(project, CONFIG)).st_mode & 0o777, 0o640)

    def publish_dir_setup(self, previous_publish, same_proxy=False):
        """Returns a setup for sweep(): each run packages new proxy bytes, so that every file it
        replaces differs from the old one and an undo that went wrong would show; with
        `same_proxy`, the same bytes each time, so the published proxy is up to date."""
        project = self.folder("site")
        out = self.folder("out", "bin")
        proxy = os.path.join(self.tmp, "proxy-source")
        args = ["publish", "--project", project, "--publish-dir", os.path.dirname(out),
                "--proxy", proxy]
        program = windows_program(os.urandom(100_000))

        def new_proxy():
            write(proxy, program if same_proxy else windows_program(os.urandom(100_000)), mode=0o755)
            return args

        if previous_publish:
            self.assertOk(self.tool(*new_proxy()))
        return new_proxy

    def test_publish_with_proxy_copy_into_empty_bin(self):
        # Three files replaced together, none existing before: undoing removes them.
        setup = self.publish_dir_setup(previous_publish=False)
        bin_folder = os.path.join(self.tmp, "out", "bin")

        def fresh():
            for name in os.listdir(bin_folder):
                os.remove(os.path.join(bin_folder, name))
            return setup()

        failed = self.sweep(fresh, WRITE_STEPS + ["lock"])
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["lock"])
        self.assertGreaterEqual(failed["rename"], 3, "a rename of each of the three files fails")

    def test_publish_with_proxy_into_a_new_publish_folder(self):
        # publish creates DIR and DIR/bin; a run failing at any step, the creation of either
        # folder included, leaves neither behind.
        project = self.folder("site")
        out = os.path.join(self.tmp, "out")
        proxy = os.path.join(self.tmp, "proxy-source")
        write(proxy, windows_program(os.urandom(100_000)), mode=0o755)
        self.assertOk(self.tool("publish", "--project", project))  # the config exists: only bin/ is new

        def fresh():
            shutil.rmtree(out, ignore_errors=True)
            return ["publish", "--project", project, "--publish-dir", out, "--proxy", proxy]

        failed = self.sweep(fresh, WRITE_STEPS + ["mkdir"])
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["mkdir"])
        self.assertEqual(failed["mkdir"], 2, "the creation of DIR and of DIR/bin each fails")

    def test_publish_a_proxy_whose_status_cannot_be_read(self):
        # Issue 15: the proxy's mode was asked for by a throwing std::filesystem call after its
        # bytes were read, so a failure there (the file replaced or gone meanwhile) ended the run
        # as exit 1, "internal error". Identity and mode now come from the open file, through the
        # seam, and a failure of either is a file system error naming the proxy. The proxy is not
        # held but copied, so its identity is asked again: after it is read, before and after it
        # is copied, before and after the copy is compared with it.
        setup = self.publish_dir_setup(previous_publish=False)
        proxy = os.path.join(self.tmp, "proxy-source")
        for nth in range(1, 8):  # identity, mode, identity; twice two for the copy and the read-back
            with self.subTest(nth=nth):
                done = self.run_with_fault(setup(), f"stat:{nth}")
                self.assertError(done, 4, "PTVSD030", proxy)
        self.assertOk(self.run_with_fault(setup(), "stat:8"))  # nothing else asks: the config is new

    def test_publish_with_proxy_copy_over_a_previous_publish(self):
        failed = self.sweep(self.publish_dir_setup(previous_publish=True), WRITE_STEPS + ["lock"])
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["lock"])
        self.assertGreaterEqual(failed["rename"], 3)

    def test_publish_with_proxy_copy_every_read_comes_before_any_rename(self):
        # The template, the proxy and the old config are read, then each of the three staged files
        # is read back (the proxy in chunks), all before the first rename.
        failed = self.sweep(self.publish_dir_setup(previous_publish=True), ["open", "read"])
        self.assertGreaterEqual(failed["open"], 6)
        self.assertGreaterEqual(failed["read"], 6)

    def test_publish_over_an_up_to_date_proxy(self):
        # The published proxy and manifest are compared with the ones to package, not copied, and
        # flushed to disk: a failure to read or flush any of them fails the run, and nothing changes.
        failed = self.sweep(self.publish_dir_setup(previous_publish=True, same_proxy=True),
                            ["open", "read", "stat", "flush"])
        self.assertGreaterEqual(failed["flush"], 3, "both published files, then the config's temp file")
        self.assertGreaterEqual(failed["open"], 6, "template, proxy, config, both published files, the proxy again")
        self.assertGreaterEqual(failed["read"], 6)
        self.assertGreaterEqual(failed["stat"], 4, "the proxy's identity and mode, and twice while compared")

    def test_publish_with_proxy_copy_where_hard_links_fail(self):
        # The three old files are kept by copy instead; a failed copy, or a rename after it,
        # changes nothing either.
        failed = self.sweep(self.publish_dir_setup(previous_publish=True), ["copy", "rename"],
                            also="link:1,link:2,link:3")
        self.assertGreaterEqual(failed["copy"], 3)
        self.assertGreaterEqual(failed["rename"], 3)

    # -- delivery: the secret file and $GITHUB_OUTPUT are part of the one replacement (issue 19)

    def test_publish_with_secret_file(self):
        project = self.folder("site")
        self.assertOk(self.tool("publish", "--project", project))
        secret_file = os.path.join(self.tmp, "delivered", "secret.txt")
        os.makedirs(os.path.dirname(secret_file))

        def fresh():
            if os.path.exists(secret_file):
                os.remove(secret_file)
            return ["publish", "--project", project, "--secret-file", secret_file]

        failed = self.sweep(fresh, WRITE_STEPS + ["open", "read", "lock"])
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["open", "read"])
        self.assertGreaterEqual(failed["rename"], 2, "the config's rename fails after the secret file's")
        config_secret = secret_values(read(os.path.join(project, CONFIG)))[0]
        self.assertEqual(read(secret_file), config_secret.encode())

    def test_publish_with_github_export(self):
        project = self.folder("site")
        self.assertOk(self.tool("publish", "--project", project))
        output = os.path.join(self.tmp, "github-output")

        def fresh():
            write(output, "earlier=1\n", mode=0o644)
            return ["publish", "--project", project, "--ci", "github", "--export", "N"]

        failed = {}
        for step in STEPS:
            failed[step] = 0
            for nth in range(1, MAX_CALLS + 1):
                args = fresh()
                with self.subTest(step=step, nth=nth):
                    age(self.tmp)
                    before = snapshot(self.tmp, strict=False)
                    done = self.tool(*args, env={"PTVSD_FAULT": f"{step}:{nth}", "GITHUB_OUTPUT": output},
                                     may_print_secret=True)
                    if done.returncode != 0:
                        self.assertEqual(done.returncode, 4, done.stderr)
                        self.assertRegex(done.stderr, r"(?m)^\S.*?: error PTVSD03[01]: \S")
                        self.assertUnchanged(before, False, done)
                        self.assertEqual(temp_files(self.tmp), [])
                if done.returncode == 0:
                    break
                failed[step] = nth
                FAILED_RUNS.append((self.id(), step, nth))
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["open", "read"])
        config_secret = secret_values(read(os.path.join(project, CONFIG)))[0]
        self.assertEqual(read(output), f"earlier=1\nN={config_secret}\n".encode())

    # -- rotate

    def two_user_files(self):
        folder = self.folder("site")
        first, second = os.path.join(folder, "web.config"), os.path.join(folder, CONFIG)
        write(first, user_config("first-old-secret-value", "\r\n"), mode=0o644)
        write(second, user_config("second-old-secret-value"), mode=0o600)
        return first, second

    def test_rotate_two_files(self):
        first, second = self.two_user_files()
        failed = self.sweep(lambda: ["rotate", first, second], STEPS)
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["open", "read"])
        self.assertEqual(failed["lock"], 1, "rotate takes its one folder's lock, once")
        self.assertGreaterEqual(failed["rename"], 2, "the second rename fails: the first is undone")

    def config_tree(self):
        """D/a, D/a/b and D/c, each with a config; returns D and a setup for sweep() that gives
        each config its old bytes back, so that every run has the same three files to rotate."""
        root = self.folder("D")
        paths = [os.path.join(self.folder("D", *parts), "web.config")
                 for parts in (("a",), ("a", "b"), ("c",))]

        def fresh(*args):
            for i, path in enumerate(paths):
                write(path, user_config(f"old-secret-value-{i}"), mode=0o644)
            return ["rotate", *args]

        return root, fresh

    def test_rotate_folder(self):
        root, fresh = self.config_tree()
        failed = self.sweep(lambda: fresh(root), STEPS + LIST_STEPS)
        self.assertEveryStepFailed(failed, WRITE_STEPS + ["open", "read"])
        self.assertGreaterEqual(failed["rename"], 3)
        self.assertEqual((failed["list"], failed["list-gone"]), (4, 4), "D, D/a, D/a/b and D/c")

    def test_rotate_patterns_with_a_folder_that_cannot_be_listed(self):
        # A folder that a `**` or `*` component must look inside fails the run as `rotate DIR`
        # does, naming it (run_with_fault: exit 4, PTVSD030, nothing changed).
        root, fresh = self.config_tree()
        for pattern, listed in ((os.path.join(root, "**", "web.config"), ("D", "D/a", "D/a/b", "D/c")),
                                (os.path.join(root, "*", "*.config"), ("D", "D/a", "D/c"))):
            with self.subTest(pattern=pattern):
                named = set()
                for step in LIST_STEPS:
                    for nth in range(1, MAX_CALLS + 1):
                        done = self.run_with_fault(fresh(pattern), f"{step}:{nth}")
                        if done.returncode == 0:
                            break
                        error = re.search(r"(?m)^(.*?): error PTVSD030: cannot list the folder: ",
                                          done.stderr)
                        self.assertIsNotNone(error, done.stderr)
                        named.add(os.path.relpath(error.group(1), self.tmp))
                        FAILED_RUNS.append((self.id(), step, nth))
                    else:
                        self.fail(f"{step}: still failing at call {MAX_CALLS}")
                    self.assertEqual(nth - 1, len(listed), f"{step}: one failed run per folder read")
                self.assertEqual(named, set(listed))

    def test_kept_old_file_that_cannot_be_removed_is_named(self):
        first, second = self.two_user_files()
        done = run("rotate", first, second, env=dict(os.environ, PTVSD_FAULT="remove:1"))
        self.assertOk(done)
        kept = re.search(r"(?m)^(\S+\.tmp): warning PTVSD037: ", done.stderr)
        self.assertIsNotNone(kept, done.stderr)
        self.assertIn(first, done.stderr)
        self.assertIn(b"first-old-secret-value", read(kept.group(1)))

    def test_rotate_undo_that_fails_too_names_the_file_and_keeps_it_valid(self):
        first, second = self.two_user_files()
        before_first, before_second = read(first), read(second)
        for fault in ("rename:2,rename:3", "link:1,rename:2,rename:3"):
            with self.subTest(fault=fault):
                write(first, before_first)
                done = self.tool("rotate", first, second, env={"PTVSD_FAULT": fault})
                self.assertError(done, 4, "PTVSD031", second)
                self.assertIn("could not put back " + first, done.stderr)
                self.assertEqual(read(second), before_second)
                new = self.assertOnlyValueChanged(before_first, read(first), "first-old-secret-value")
                self.assertRegex(new, SECRET_43)
                self.assertEqual(temp_files(self.tmp), [])


if __name__ == "__main__":
    unittest.main()
