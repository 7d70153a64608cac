"""The proxy `publish --publish-dir` packages is the site's: IIS starts bin/ptvsd-proxy.exe on
Windows x64, so publish packages a PE x64 program under that name, whichever system it runs on,
and refuses anything else (PTVSD052) before it changes anything.

    cd tests/cli && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_site_proxy

The real programs: site_proxy_real.py.
"""

import hashlib
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import CONFIG, CliTest, read, require_tool, run, windows_program, write  # noqa: E402


def setUpModule():
    require_tool()


class PublishSiteProxyTest(CliTest):
    def publish(self, proxy_bytes, label="proxy"):
        project = self.folder("site")
        proxy = os.path.join(self.tmp, label)
        write(proxy, proxy_bytes, mode=0o755)
        return project, os.path.join(self.tmp, "out"), proxy

    def test_a_windows_x64_program_is_packaged_as_the_template_names_it(self):
        data = windows_program(os.urandom(1000))
        project, out, proxy = self.publish(data)
        self.assertOk(run("publish", "--project", project, "--publish-dir", out, "--proxy", proxy))
        bin_dir = os.path.join(out, "bin")
        self.assertEqual(sorted(os.listdir(bin_dir)), ["ptvsd-proxy.exe", "ptvsd-proxy.exe.sha256"])
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe")), data)
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe.sha256")).decode(),
                         f"{hashlib.sha256(data).hexdigest()}  ptvsd-proxy.exe\n")
        checked = subprocess.run(["sha256sum", "-c", "ptvsd-proxy.exe.sha256"], cwd=bin_dir,
                                 capture_output=True, text=True)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn('processPath=".\\bin\\ptvsd-proxy.exe"', read(os.path.join(project, CONFIG)).decode())

    def test_anything_but_a_windows_x64_program_is_refused_and_nothing_changes(self):
        pe_x86 = windows_program()[:0x44] + (0x014C).to_bytes(2, "little")
        cases = [("ELF", b"\x7fELF\x02\x01\x01" + bytes(200), "Linux program (ELF)"),
                 ("PE x86", pe_x86, "another processor"),
                 ("script", b"#!/bin/sh\nexec true\n", "not a program"),
                 ("MZ only", b"MZ" + bytes(100), "not a program"),
                 ("empty", b"", "not a program")]
        for label, data, words in cases:
            with self.subTest(label):
                project, out, proxy = self.publish(data, label)
                result = self.run_unchanged("publish", "--project", project, "--publish-dir", out,
                                            "--proxy", proxy)
                self.assertError(result, 3, "PTVSD052", proxy)
                self.assertIn(words, result.stderr)
                self.assertIn("ptvsd-proxy.exe", result.stderr)
                self.assertFalse(os.path.exists(out))
                self.assertFalse(os.path.exists(os.path.join(project, CONFIG)))

    def test_refused_over_a_previous_publish_changes_nothing(self):
        good = windows_program(b"first")
        project, out, proxy = self.publish(good)
        self.assertOk(run("publish", "--project", project, "--publish-dir", out, "--proxy", proxy))
        write(proxy, b"\x7fELF\x02\x01\x01" + bytes(200))
        result = self.run_unchanged("publish", "--project", project, "--publish-dir", out, "--proxy", proxy)
        self.assertError(result, 3, "PTVSD052", proxy)


if __name__ == "__main__":
    unittest.main()
