"""Durability as an order of system calls: every file a run replaces is written to a temp file
that is fsync'ed before it is renamed over the target, and the target's folder is fsync'ed after
that rename. Then, whenever the power goes, the folder names the old file or a complete new one:
never a new name over data still in the cache.

No test can cut the power, and the crash loop's SIGKILL leaves the page cache intact, so this
watches the real binary's fsync and rename calls with strace (-y names each descriptor's file)
and checks their order, for publish (config, packaged proxy and manifest) and for rotate of two
files in two folders. A folder the run creates is an entry of its parent, so the parent is
fsync'ed after the mkdir and before any file is renamed into the new folder. What it cannot show:
that the disk honours fsync.
"""

import os
import re
import shutil
import subprocess

from harness import CONFIG, TEMP_FILE, TOOL, HardeningTest, candidate_secrets, user_config, windows_program, write

STRACE = shutil.which("strace")
CALL = re.compile(r"^(?:\d+\s+)?(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<result>-?\d+)")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


class DurabilityTest(HardeningTest):

    def traced(self, *args, cwd=None):
        """Runs the tool under strace; returns its successful calls in order: ("fsync", path),
        ("rename", from, to) and ("mkdir", path), relative paths resolved against `cwd`."""
        # A missing strace is an error, never a skip (.ci/install-deps.sh installs it).
        self.assertIsNotNone(STRACE, "strace is not installed")
        log = os.path.join(self.tmp, "strace.log")
        # LeakSanitizer cannot work under ptrace and fails the run: in a sanitized build the leak
        # check is left to the suites that run the tool untraced.
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "detect_leaks=0"]))
        done = subprocess.run([STRACE, "-f", "-qq", "-y", "-s", "4096", "-o", log,
                               "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,mkdir,mkdirat", TOOL, *args],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNoLeak(done, candidate_secrets(self.tmp))
        calls = []
        where = cwd or os.getcwd()
        with open(log, encoding="utf-8") as lines:
            for line in lines:
                call = CALL.match(line)
                if call is None or call["result"] != "0":
                    continue
                if call["name"] in ("fsync", "fdatasync"):
                    calls.append(("fsync", re.search(r"<(.*)>", call["args"]).group(1)))
                elif call["name"] in ("mkdir", "mkdirat"):
                    calls.append(("mkdir", os.path.join(where, QUOTED.findall(call["args"])[0])))
                else:
                    calls.append(("rename", *(os.path.join(where, path) for path in QUOTED.findall(call["args"])[:2])))
        os.remove(log)
        return calls

    def assertDurablyReplaced(self, calls, targets):
        for target in targets:
            renames = [at for at, call in enumerate(calls) if call[0] == "rename" and call[2] == target]
            self.assertEqual(len(renames), 1, f"{target} renamed into place {len(renames)} times: {calls}")
            at = renames[0]
            temp = calls[at][1]
            self.assertRegex(os.path.basename(temp), TEMP_FILE)
            self.assertIn(("fsync", temp), calls[:at],
                          f"{target}: its temp file was not flushed to disk before the rename: {calls}")
            self.assertIn(("fsync", os.path.dirname(target)), calls[at + 1:],
                          f"{target}: its folder was not flushed to disk after the rename: {calls}")

    def test_publish_flushes_each_file_before_its_rename_and_the_folder_after(self):
        project = self.folder("project")
        output = self.folder("out")
        proxy = os.path.join(self.tmp, "ptvsd-proxy.exe")
        write(proxy, windows_program(b"stand-in proxy"), 0o755)  # the site's: PE x64
        calls = self.traced("publish", "--project", project, "--publish-dir", output, "--proxy", proxy)
        self.assertDurablyReplaced(calls, [os.path.join(project, CONFIG),
                                           os.path.join(output, "bin", "ptvsd-proxy.exe"),
                                           os.path.join(output, "bin", "ptvsd-proxy.exe.sha256")])

    def test_publish_again_flushes_the_proxy_it_leaves_as_it_is(self):
        # Publishing again into the same output leaves the proxy and manifest that are up to date
        # (no rename into bin/), and flushes them and their folder, as a copy would have been.
        project = self.folder("project")
        output = self.folder("out")
        proxy = os.path.join(self.tmp, "ptvsd-proxy.exe")
        write(proxy, windows_program(b"stand-in proxy"), 0o755)
        args = ("publish", "--project", project, "--publish-dir", output, "--proxy", proxy)
        self.traced(*args)
        calls = self.traced(*args)
        bin_folder = os.path.join(output, "bin")
        self.assertDurablyReplaced(calls, [os.path.join(project, CONFIG)])
        self.assertFalse([call for call in calls if call[0] == "rename" and call[2].startswith(bin_folder + os.sep)],
                         f"an up-to-date file was replaced: {calls}")
        for name in ("ptvsd-proxy.exe", "ptvsd-proxy.exe.sha256"):
            self.assertIn(("fsync", os.path.join(bin_folder, name)), calls, f"{name} not flushed: {calls}")
        self.assertIn(("fsync", bin_folder), calls, f"bin/ not flushed: {calls}")

    def test_publish_flushes_each_folder_it_creates_into_its_parent(self):
        project = self.folder("project")
        proxy = os.path.join(self.tmp, "ptvsd-proxy.exe")
        write(proxy, windows_program(b"stand-in proxy"), 0o755)  # the site's: PE x64
        # Relative, as typed: the first new folder's parent is the current folder.
        calls = self.traced("publish", "--project", project, "--publish-dir", os.path.join("new", "site"),
                            "--proxy", proxy, cwd=self.tmp)
        created = [os.path.join(self.tmp, *parts) for parts in (["new"], ["new", "site"], ["new", "site", "bin"])]
        for folder in created:
            made = [at for at, call in enumerate(calls) if call == ("mkdir", folder)]
            self.assertEqual(len(made), 1, f"{folder} created {len(made)} times: {calls}")
            renamed_into = [at for at, call in enumerate(calls)
                            if call[0] == "rename" and call[2].startswith(folder + os.sep)]
            self.assertTrue(renamed_into, f"no file renamed into {folder}: {calls}")
            self.assertIn(("fsync", os.path.dirname(folder)), calls[made[0] + 1:renamed_into[0]],
                          f"{folder}: its parent was not flushed to disk between the mkdir and the first "
                          f"rename into it: {calls}")
        self.assertDurablyReplaced(calls, [os.path.join(created[-1], "ptvsd-proxy.exe"),
                                           os.path.join(created[-1], "ptvsd-proxy.exe.sha256")])

    def test_rotate_flushes_each_file_before_its_rename_and_the_folder_after(self):
        configs = [os.path.join(self.folder(name), "web.config") for name in ("a", "b")]
        for config in configs:
            write(config, user_config())
        self.assertDurablyReplaced(self.traced("rotate", *configs), configs)
