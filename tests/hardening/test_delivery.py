"""Delivering the secret, and the edges around replacing files (issues 19 and 14): a secret file or
$GITHUB_OUTPUT that cannot be written changes nothing, the CI's masking line comes first and a
failed one stops the run, every printed form of the secret is masked, a secret holding a control
character is refused, the secret file is never written through a link, the lock file is never
followed or opened when it is not a regular file, a replaced file keeps its owner, a folder that
cannot be listed fails `rotate DIR`, and new folders are 0755 at most.

Some tests need root, to act as another user (setpriv) or give a file away (chown); they skip
elsewhere, saying so.
"""

import os
import re
import stat
import subprocess
import unittest

from harness import (AS_NOBODY, CONFIG, IS_ROOT, KEY, LOCK, NOBODY, SETPRIV, TOOL, HardeningTest,
                     bound_by_permissions, read, run, run_as, secret_values, share_with_nobody,
                     user_config, windows_program, write)

# A secret a person typed, with characters a URL must encode.
TYPED_SECRET = "typed/secret+value=with-27-chars"


def as_nobody(*args, env=None, timeout=60):
    """Runs the tool as an unprivileged user (root reads every folder, whatever its mode)."""
    return run_as(AS_NOBODY, *args, env=env, timeout=timeout)


def needs_root(test):
    return unittest.skipUnless(IS_ROOT and SETPRIV, "needs root and setpriv to act as another user")(test)


class DeliveryTest(HardeningTest):
    def published_project(self):
        project = self.folder("site")
        self.assertOk(self.tool("publish", "--project", project))
        return project

    # -- issue 19 items 1, 2 and 14 item 7: a failed delivery changes nothing

    def test_secret_file_that_cannot_be_written_changes_nothing(self):
        project = self.published_project()
        for target in (os.path.join(self.tmp, "nodir", "s.txt"), os.path.join(self.tmp, "dangling")):
            with self.subTest(target=target):
                if target.endswith("dangling") and not os.path.islink(target):
                    os.symlink(os.path.join(self.tmp, "nowhere", "s.txt"), target)
                done = self.tool_unchanged("publish", "--project", project, "--secret-file", target)
                self.assertError(done, 4, "PTVSD031", target)

    def test_github_output_that_cannot_be_written_changes_nothing(self):
        project = self.published_project()
        for output in (os.path.join(self.tmp, "nodir", "out"), os.path.join(self.tmp, "dangling-out")):
            with self.subTest(output=output):
                if output.endswith("dangling-out") and not os.path.islink(output):
                    os.symlink(os.path.join(self.tmp, "nowhere", "out"), output)
                done = self.tool_unchanged("publish", "--project", project, "--ci", "github",
                                           "--export", "N", env={"GITHUB_OUTPUT": output},
                                           may_print_secret=True)  # its masking line
                self.assertEqual(done.returncode, 4, done.stderr)
                self.assertRegex(done.stderr, r"error PTVSD03[01]: ")

    def test_failed_delivery_in_rotate_changes_nothing(self):
        config = os.path.join(self.folder("site"), "web.config")
        write(config, user_config("old-secret-value-one"))
        done = self.tool_unchanged("rotate", config, "--secret-file",
                                   os.path.join(self.tmp, "nodir", "s.txt"))
        self.assertEqual(done.returncode, 4, done.stderr)

    def test_secret_file_and_github_output_hold_the_secret_of_the_config(self):
        project = self.folder("site")
        output = os.path.join(self.tmp, "github-output")
        write(output, "earlier=value\n", mode=0o644)
        secret_file = os.path.join(self.tmp, "s.txt")
        done = self.tool("publish", "--project", project, "--ci", "github", "--export", "N",
                         "--secret-file", secret_file, env={"GITHUB_OUTPUT": output},
                         may_print_secret=True)  # its masking line
        self.assertOk(done)
        secret = secret_values(read(os.path.join(project, CONFIG)))[0]
        self.assertEqual(read(secret_file), secret.encode())
        self.assertEqual(stat.S_IMODE(os.stat(secret_file).st_mode), 0o600)
        self.assertEqual(read(output), f"earlier=value\nN={secret}\n".encode())
        self.assertEqual(stat.S_IMODE(os.stat(output).st_mode), 0o644)

    # -- issue 19 item 5: the mask comes first, and a mask that cannot be printed stops the run

    def test_masking_line_that_cannot_be_printed_stops_the_run_unchanged(self):
        project = self.published_project()
        output = os.path.join(self.tmp, "github-output")
        write(output, "")
        env = dict(os.environ, GITHUB_OUTPUT=output)
        env.pop("PTVSD_FAULT", None)

        def full_stdout():
            with open("/dev/full", "w") as full:
                return subprocess.run([TOOL, "publish", "--project", project, "--ci", "github",
                                       "--export", "N"], stdout=full, stderr=subprocess.PIPE,
                                      env=env, timeout=60)

        done = self.unchanged_by(full_stdout)
        self.assertEqual(done.returncode, 4, done.stderr)
        self.assertRegex(done.stderr.decode(), r"(?m)^ptvsd-publish: error PTVSD082: ")

    # -- issue 14 item 4: every printed form is masked; control characters are refused

    def typed_config(self, value):
        config = os.path.join(self.folder("site"), "web.config")
        write(config, user_config(value))
        return config

    def test_url_masks_the_percent_encoded_secret_it_prints(self):
        config = self.typed_config(TYPED_SECRET)
        encoded = "typed%2Fsecret%2Bvalue%3Dwith-27-chars"
        for ci, prefix in (("github", "::add-mask::"), ("azure", "##vso[task.setsecret]")):
            with self.subTest(ci=ci):
                done = self.tool("url", "--site", "app", "--config", config, "--ci", ci,
                                 may_print_secret=True)
                self.assertOk(done)
                lines = done.stdout.splitlines()
                self.assertIn(prefix + encoded, lines)
                self.assertIn(prefix + TYPED_SECRET, lines)
                url_line = next(i for i, line in enumerate(lines) if line.startswith("wss://"))
                self.assertLess(lines.index(prefix + encoded), url_line)

    def test_url_export_to_github_output_masks_the_encoded_form_first(self):
        config = self.typed_config(TYPED_SECRET)
        output = os.path.join(self.tmp, "github-output")
        write(output, "")
        done = self.tool("url", "--site", "app", "--config", config, "--ci", "github", "--export",
                         "URL", env={"GITHUB_OUTPUT": output}, may_print_secret=True)
        self.assertOk(done)
        self.assertIn("::add-mask::typed%2Fsecret%2Bvalue%3Dwith-27-chars", done.stdout.splitlines())
        self.assertIn(b"typed%2Fsecret%2Bvalue%3Dwith-27-chars", read(output))

    def test_secret_with_a_control_character_is_refused(self):
        for value in ("first-half-of-it&#10;::warning::injected", "carriage&#13;return-in-a-secret",
                      "a-tab-in-the-secret&#9;value-here"):
            with self.subTest(value=value):
                config = self.typed_config(value)
                for ci in ("github", "azure"):
                    done = self.tool_unchanged("url", "--site", "app", "--config", config, "--ci", ci,
                                               may_print_secret=True)
                    self.assertError(done, 3, "PTVSD081", config)
                    self.assertNotIn("::warning::", done.stdout)

    # -- issue 14 item 3: the secret file is never written through a link

    def test_secret_file_named_by_a_link_is_refused_and_the_link_target_untouched(self):
        project = self.published_project()
        victim = os.path.join(self.tmp, "readable-by-others")
        write(victim, "public\n", mode=0o644)
        link = os.path.join(self.tmp, "planted")
        os.symlink(victim, link)
        done = self.tool_unchanged("publish", "--project", project, "--secret-file", link)
        self.assertError(done, 4, "PTVSD031", link)
        self.assertEqual(read(victim), b"public\n")

    # -- issue 14 item 8: the lock file

    def test_lock_file_that_is_a_dangling_link_is_refused_and_not_followed(self):
        project = self.folder("site")
        target = os.path.join(self.tmp, "created-through-the-link")
        os.symlink(target, os.path.join(project, LOCK))
        done = self.tool_unchanged("publish", "--project", project)
        self.assertError(done, 4, "PTVSD032", os.path.join(project, LOCK))
        self.assertFalse(os.path.lexists(target))

    def test_lock_file_that_is_a_fifo_is_refused_without_waiting(self):
        project = self.folder("site")
        os.mkfifo(os.path.join(project, LOCK))
        # The timeout guards against a hang (the old behaviour); it is not a speed assertion.
        done = self.tool_unchanged("publish", "--project", project, "--lock-timeout", "1", timeout=30)
        self.assertError(done, 4, "PTVSD032", os.path.join(project, LOCK))

    def test_new_lock_file_and_new_folders_are_private_under_umask_000(self):
        project = self.folder("site")
        out = os.path.join(self.tmp, "out")
        proxy = os.path.join(self.tmp, "proxy-source")
        write(proxy, windows_program(b"proxy bytes"), mode=0o755)
        old = os.umask(0)
        try:
            done = self.tool("publish", "--project", project, "--publish-dir", out, "--proxy", proxy)
        finally:
            os.umask(old)
        self.assertOk(done)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(project, LOCK)).st_mode), 0o600)
        for folder in (out, os.path.join(out, "bin")):
            self.assertEqual(stat.S_IMODE(os.stat(folder).st_mode), 0o755, folder)

    # -- issue 14 item 9: a replaced file keeps its owner, or a warning says it could not

    @needs_root
    def test_replaced_file_keeps_its_owner_and_group(self):
        config = os.path.join(self.folder("site"), "web.config")
        write(config, user_config("old-secret-value-one"), mode=0o640)
        os.chown(config, NOBODY, NOBODY)
        self.assertOk(self.tool("rotate", config))
        info = os.stat(config)
        self.assertEqual((info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)), (NOBODY, NOBODY, 0o640))

    @needs_root
    def test_owner_that_cannot_be_kept_is_named_in_a_warning(self):
        folder = self.folder("shared")
        os.chmod(self.tmp, 0o755)
        os.chmod(folder, 0o777)
        config = os.path.join(folder, "web.config")
        write(config, user_config("old-secret-value-one"), mode=0o666)
        done = as_nobody("rotate", config)
        self.assertOk(done)
        self.assertRegex(done.stderr, rf"(?m)^{re.escape(config)}: warning PTVSD036: ")
        self.assertEqual(os.stat(config).st_uid, NOBODY)

    # -- issue 19 item 3: rotate DIR, or a pattern, with a folder it cannot read

    def unreadable_subfolder_tree(self):
        """D/a, D/a/b, D/c and D/c/d, each with a config, D/a/b then made unreadable (mode 0)."""
        root = self.folder("D")
        for parts in (("a",), ("a", "b"), ("c",), ("c", "d")):
            write(os.path.join(self.folder("D", *parts), "web.config"),
                  user_config("old-secret-" + "-".join(parts)))
        share_with_nobody(self.tmp, root)
        os.chmod(os.path.join(root, "a", "b"), 0)
        return root

    def test_rotate_folder_or_pattern_with_an_unreadable_subfolder_fails_unchanged(self):
        # Runs as any user: the tool's own, or nobody under root (bound_by_permissions).
        # Before issue 19 `rotate D` skipped D/a/b's subtree and reported success; then a `*`
        # that had to look inside D/a/b still skipped it, rotating the readable D/c/d alone.
        user = bound_by_permissions()
        root = self.unreadable_subfolder_tree()
        b = os.path.join(root, "a", "b")
        # Named: the folder that cannot be listed; or, where the pattern names a file inside it,
        # that file, which cannot even be looked up.
        cases = [(root, b),
                 (os.path.join(root, "*", "*", "*.config"), b),
                 (os.path.join(root, "**", "web.config"), os.path.join(b, "web.config")),
                 (os.path.join(root, "*", "*", "web.config"), os.path.join(b, "web.config"))]
        for argument, named in cases:
            with self.subTest(argument=argument):
                done = self.unchanged_by(lambda: run_as(user, "rotate", argument))
                self.assertEqual(done.returncode, 4, done.stderr)
                self.assertEqual(done.stdout, "")
                self.assertRegex(done.stderr, rf"(?m)^{re.escape(named)}: error PTVSD030: "
                                              r"cannot (list the folder|tell whether it exists): ")
        # A pattern that never looks inside D/a/b is not failed by it.
        done = run_as(user, "rotate", os.path.join(root, "*", "web.config"))
        self.assertOk(done)
        for name in ("a", "c"):
            rotated = secret_values(read(os.path.join(root, name, "web.config")))
            self.assertNotEqual(rotated, [f"old-secret-{name}"])
        os.chmod(b, 0o777)
        self.assertEqual(secret_values(read(os.path.join(b, "web.config"))), ["old-secret-a-b"])

if __name__ == "__main__":
    unittest.main()
