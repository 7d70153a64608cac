"""The secret goes only where it belongs: into the config (0600 when the run creates it) and, for
`url`, onto stdout. Every run in tests/hardening gets these checks (harness.HardeningTest.tool);
this suite runs each command and each kind of failure once on purpose, with secrets the checks can
recognise (the old value of every config here is a 43-character secret too).
"""

import os
import stat
import unittest

from harness import (CONFIG, FAULTS_BUILT_IN, KEY, LOCK, HardeningTest, read,
                     secret_values, temp_files, user_config, windows_program, write)

OLD = "OLDsecretOLDsecretOLDsecretOLDsecretOLDsecr"  # 43 characters, like a real one
OTHER = "OTHERsecretOTHERsecretOTHERsecretOTHERsecre"


class SecretPlacementTest(HardeningTest):
    def test_every_command_keeps_the_secret_off_stdout_stderr_lock_and_temp_files(self):
        project = self.folder("site")
        config = os.path.join(project, CONFIG)
        out = self.folder("out")
        proxy = os.path.join(self.tmp, "proxy")
        write(proxy, windows_program(b"proxy"), mode=0o755)
        runs = [
            ("publish, new file", ["publish", "--project", project]),
            ("publish, regenerated", ["publish", "--project", project, "--secret-bytes", "64"]),
            ("publish with the proxy", ["publish", "--project", project, "--publish-dir", out, "--proxy", proxy]),
            ("rotate", ["rotate", config]),
            ("rotate --same-secret", ["rotate", "--same-secret", config, os.path.join(self.tmp, "web.config")]),
        ]
        write(os.path.join(self.tmp, "web.config"), user_config(OTHER), mode=0o644)
        for name, command in runs:
            with self.subTest(name):
                done = self.tool(*command)  # the harness checks every place
                self.assertOk(done)
                self.assertEqual(done.stdout, "")
                self.assertRegex(secret_values(read(config))[0], r"^[A-Za-z0-9_-]{43}$|^[A-Za-z0-9_-]{86}$")
        self.assertEqual(os.path.getsize(os.path.join(project, LOCK)), 0)
        self.assertEqual(stat.S_IMODE(os.stat(config).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.tmp, "web.config")).st_mode), 0o644)
        self.assertEqual(temp_files(self.tmp), [])

    def test_url_prints_it_once_on_stdout_and_never_on_stderr(self):
        config = os.path.join(self.tmp, "web.config")
        write(config, user_config(OLD))
        done = self.tool("url", "--site", "mysite", "--config", config, may_print_secret=True)
        self.assertOk(done)
        self.assertEqual(done.stdout.count(OLD), 1)
        self.assertEqual(done.stderr, "")

    def test_failures_do_not_quote_the_secret(self):
        config = os.path.join(self.tmp, "web.config")
        project = self.folder("site")
        cases = [
            ("twice", f'<configuration><appSettings><add key="{KEY}" value="{OLD}"/>'
                      f'<add key="{KEY}" value="{OTHER}"/></appSettings></configuration>', 3),
            ("repeated attribute", f'<configuration><appSettings><add key="{KEY}" value="{OLD}" '
                                   f'value="{OTHER}"/></appSettings></configuration>', 3),
            ("malformed after it", f'<configuration><appSettings><add key="{KEY}" value="{OLD}"/>'
                                   f'<x y={OTHER}/></appSettings></configuration>', 3),
            ("doctype", f'<!DOCTYPE c><configuration><appSettings><add key="{KEY}" value="{OLD}"/>'
                        '</appSettings></configuration>', 3),
            ("unquoted value", f'<configuration><add key="{KEY}" value={OLD}/></configuration>', 3),
        ]
        for name, text, exit_code in cases:
            for command in (["rotate", config], ["url", "--site", "s", "--config", config],
                            ["publish", "--project", project]):
                with self.subTest(name, command=command[0]):
                    write(config, text)
                    write(os.path.join(project, CONFIG), text)
                    done = self.tool_unchanged(*command)
                    self.assertEqual(done.returncode, exit_code, done.stderr)
                    self.assertNotIn(OLD[:16], done.stderr)
                    self.assertNotIn(OTHER[:16], done.stderr)

    @unittest.skipUnless(FAULTS_BUILT_IN, "needs a tool built with -DPTVSD_FAULT_INJECTION=ON")
    def test_io_failures_do_not_quote_the_secret_or_leave_it_in_a_temp_file(self):
        config = os.path.join(self.tmp, "web.config")
        write(config, user_config(OLD))
        for step in ("write", "short-write", "flush", "close", "rename"):
            with self.subTest(step):
                done = self.tool_unchanged("rotate", config, env={"PTVSD_FAULT": step})
                self.assertError(done, 4, "PTVSD031", config)
                self.assertNotIn(OLD[:16], done.stderr)


if __name__ == "__main__":
    unittest.main()
