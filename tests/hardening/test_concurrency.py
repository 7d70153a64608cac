"""Twenty runs at once on one project or one file: they end with one valid file, no temp file, and
no error other than a clear lock wait or lock timeout.
"""

import os
import re
import subprocess
import unittest

from harness import (CONFIG, KEY, LOCK, SECRET_43, TOOL, HardeningTest, candidate_secrets, read,
                     secret_shaped, secret_values, temp_files, user_config, write)

RUNS = 20
SUMMARY = re.compile(r"^ptvsd-publish: .*(created|regenerated|replaced only|rotated)")
WAITING = re.compile(r"^ptvsd-publish: .*another ptvsd-publish run is replacing files in this folder; waiting")
# The test's project folder holds only what the runs create, so publish says it is not a project.
NOT_A_PROJECT = re.compile(r"^\S+: warning PTVSD034: ")
TIMED_OUT = re.compile(r"^\S+: error PTVSD040: another ptvsd-publish run holds this folder's lock")


class ConcurrencyTest(HardeningTest):
    def run_together(self, commands):
        """Starts every command before waiting for any; returns their results."""
        env = dict(os.environ)
        env.pop("PTVSD_FAULT", None)
        started = [subprocess.Popen([TOOL, *command], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=env) for command in commands]
        results = []
        for process in started:
            stdout, stderr = process.communicate(timeout=300)
            results.append((process.returncode, stdout.decode(), stderr.decode()))
        secrets = candidate_secrets(self.tmp)
        for _, stdout, stderr in results:
            for secret in secrets:
                self.assertNotIn(secret, stdout + stderr)
            self.assertEqual(secret_shaped(stdout + stderr, self.tmp), [])
        return results

    def assertOnlyExpectedLines(self, results, allowed):
        for code, stdout, stderr in results:
            self.assertEqual(stdout, "")
            for line in stderr.splitlines():
                self.assertTrue(any(p.match(line) for p in allowed), f"exit {code}: {line!r}")

    def assertOneValidConfig(self, project):
        self.assertEqual(sorted(os.listdir(project)), sorted([CONFIG, LOCK]))
        self.assertRegex(secret_values(read(os.path.join(project, CONFIG)))[0], SECRET_43)
        self.assertEqual(os.path.getsize(os.path.join(project, LOCK)), 0)
        self.assertEqual(temp_files(self.tmp), [])

    def test_twenty_publishes_of_a_new_project_all_succeed(self):
        project = self.folder("site")
        results = self.run_together([["publish", "--project", project]] * RUNS)
        self.assertEqual([code for code, _, _ in results], [0] * RUNS)
        self.assertOnlyExpectedLines(results, [SUMMARY, WAITING, NOT_A_PROJECT])
        self.assertOneValidConfig(project)
        self.assertEqual(os.stat(os.path.join(project, CONFIG)).st_mode & 0o777, 0o600)

    def test_twenty_publishes_of_a_user_owned_config_change_only_the_value(self):
        project = self.folder("site")
        before = user_config("old-secret-value").encode()
        write(os.path.join(project, CONFIG), before, mode=0o640)
        results = self.run_together([["publish", "--project", project]] * RUNS)
        self.assertEqual([code for code, _, _ in results], [0] * RUNS)
        self.assertOnlyExpectedLines(results, [SUMMARY, WAITING])
        self.assertOneValidConfig(project)
        new = self.assertOnlyValueChanged(before, read(os.path.join(project, CONFIG)), "old-secret-value")
        self.assertRegex(new, SECRET_43)
        self.assertEqual(os.stat(os.path.join(project, CONFIG)).st_mode & 0o777, 0o640)

    def test_twenty_publishes_without_waiting_succeed_or_time_out_clearly(self):
        project = self.folder("site")
        results = self.run_together([["publish", "--project", project, "--lock-timeout", "0"]] * RUNS)
        codes = [code for code, _, _ in results]
        self.assertTrue(set(codes) <= {0, 5}, codes)
        self.assertIn(0, codes)
        self.assertOnlyExpectedLines(results, [SUMMARY, WAITING, TIMED_OUT, NOT_A_PROJECT])
        for code, _, stderr in results:
            if code == 5:
                self.assertTrue(any(TIMED_OUT.match(line) for line in stderr.splitlines()), stderr)
        self.assertOneValidConfig(project)
        print(f"\n--lock-timeout 0: {codes.count(0)} succeeded, {codes.count(5)} timed out (PTVSD040)")

    def test_twenty_rotations_of_one_file_all_succeed(self):
        # rotate locks the file's folder as publish does, so no run reads a version another run
        # is about to replace (which would end in PTVSD035), and none removes another's temp file.
        site = self.folder("site")
        config = os.path.join(site, "web.config")
        before = user_config("old-secret-value").encode()
        write(config, before)
        results = self.run_together([["rotate", config]] * RUNS)
        self.assertEqual([code for code, _, _ in results], [0] * RUNS, results)
        self.assertOnlyExpectedLines(results, [SUMMARY, WAITING])
        self.assertRegex(self.assertOnlyValueChanged(before, read(config), "old-secret-value"), SECRET_43)
        self.assertEqual(sorted(os.listdir(site)), sorted(["web.config", LOCK]))
        self.assertEqual(temp_files(self.tmp), [])

    def test_twenty_rotations_through_different_names_of_one_folder_all_succeed(self):
        # A relative name, an absolute one and a link in another folder: one lock, the target's.
        site = self.folder("site")
        config = os.path.join(site, "web.config")
        write(config, user_config("old-secret-value").encode())
        link = os.path.join(self.folder("elsewhere"), "web.config")
        os.symlink(config, link)
        names = [config, os.path.relpath(config), link, os.path.join(site, ".", "web.config")]
        results = self.run_together([["rotate", names[i % len(names)]] for i in range(RUNS)])
        self.assertEqual([code for code, _, _ in results], [0] * RUNS, results)
        self.assertTrue(os.path.islink(link))
        self.assertRegex(secret_values(read(config))[0], SECRET_43)

    def test_publishes_and_rotations_mixed(self):
        project = self.folder("site")
        self.assertOk(self.tool("publish", "--project", project))
        config = os.path.join(project, CONFIG)
        commands = [["publish", "--project", project], ["rotate", config]] * (RUNS // 2)
        results = self.run_together(commands)
        self.assertEqual([code for code, _, _ in results], [0] * RUNS, results)
        self.assertOnlyExpectedLines(results, [SUMMARY, WAITING])
        self.assertOneValidConfig(project)
        self.assertEqual(len(re.findall(rf'key="{KEY}" value=', read(config).decode())), 1)


if __name__ == "__main__":
    unittest.main()
