"""The proxy `publish --publish-dir` packages is the site's: IIS starts bin/ptvsd-proxy.exe on
Windows x64, so publish packages a PE x64 program under that name, whichever system it runs on,
and refuses anything else (PTVSD052) before it changes anything.

    cd tests/cli && PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_site_proxy

The real programs: site_proxy_real.py.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import CONFIG, TOOL, CliTest, read, require_tool, run, windows_program, write  # noqa: E402


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



def manifest_line(data):
    return f"{hashlib.sha256(data).hexdigest()}  ptvsd-proxy.exe\n".encode()


class ShippedManifestTest(CliTest):
    """publish copies the manifest the build wrote beside the installed proxy instead of hashing
    the proxy (README, "Windows"), only for that proxy, and refuses one that is not a manifest."""

    def install(self, manifest):
        """The tool in a prefix of its own, with the build's templates, a stand-in for the
        installed proxy and, unless None, `manifest` beside it. Returns (tool, proxy bytes)."""
        prefix = self.folder("prefix")
        tool = os.path.join(self.folder("prefix", "bin"), os.path.basename(TOOL))
        shutil.copy2(TOOL, tool)
        share = os.path.join(os.path.dirname(TOOL), os.pardir, "share", "ptvsd-publish")
        shutil.copytree(os.path.join(share, "templates"), os.path.join(prefix, "share", "ptvsd-publish", "templates"))
        site = self.folder("prefix", "share", "ptvsd-publish", "site", "win-x64")
        proxy = windows_program(os.urandom(1000))
        write(os.path.join(site, "ptvsd-proxy.exe"), proxy, mode=0o755)
        if manifest is not None:
            write(os.path.join(site, "ptvsd-proxy.exe.sha256"), manifest)
        return tool, proxy

    def publish(self, tool, *args):
        done = subprocess.run([tool, "publish", "--project", self.folder("site"), "--publish-dir",
                               os.path.join(self.tmp, "out"), *args], capture_output=True, text=True)
        self.assertOk(done)
        return os.path.join(self.tmp, "out", "bin")

    def test_the_installed_manifest_is_deployed_as_it_is(self):
        # Another program's digest: a manifest computed from the proxy would differ.
        shipped = manifest_line(b"what the build hashed")
        tool, proxy = self.install(shipped)
        bin_dir = self.publish(tool)
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe")), proxy)
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe.sha256")), shipped)

    def test_without_an_installed_manifest_the_proxy_is_hashed(self):
        tool, proxy = self.install(None)
        bin_dir = self.publish(tool)
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe.sha256")), manifest_line(proxy))

    def test_a_proxy_given_with_the_option_is_hashed_whatever_is_installed(self):
        tool, _ = self.install(manifest_line(b"what the build hashed"))
        given = windows_program(b"given")
        write(os.path.join(self.tmp, "given.exe"), given, mode=0o755)
        bin_dir = self.publish(tool, "--proxy", os.path.join(self.tmp, "given.exe"))
        self.assertEqual(read(os.path.join(bin_dir, "ptvsd-proxy.exe.sha256")), manifest_line(given))

    def test_an_installed_manifest_that_is_not_one_is_refused_and_nothing_changes(self):
        for label, manifest in (("empty", b""), ("another name", manifest_line(b"x").replace(b"proxy", b"other")),
                                ("two lines", manifest_line(b"x") * 2), ("upper case", manifest_line(b"x").upper())):
            with self.subTest(label):
                tool, _ = self.install(manifest)
                self.folder("site")
                done = self.unchanged_by(lambda: subprocess.run(
                    [tool, "publish", "--project", os.path.join(self.tmp, "site"), "--publish-dir",
                     os.path.join(self.tmp, "out")], capture_output=True, text=True))
                sidecar = os.path.join(self.tmp, "prefix", "share", "ptvsd-publish", "site", "win-x64",
                                       "ptvsd-proxy.exe.sha256")
                self.assertError(done, 4, "PTVSD051", sidecar, 1, 1)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "out")))
                shutil.rmtree(os.path.join(self.tmp, "prefix"))


if __name__ == "__main__":
    unittest.main()
