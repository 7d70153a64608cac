"""The real programs: the built tool packages the win-x64 ptvsd-proxy.exe by default, from the
build tree and from an installation, stripped; it refuses the Linux build. ctest runs this as
cli_site_proxy, disabled when the build has no PTVSD_SITE_PROXY (tests/run.sh always gives one).

    cd tests/cli && PTVSD_PUBLISH=build/bin/ptvsd-publish PTVSD_BUILD_DIR=build \\
        PTVSD_LINUX_PROXY=build/bin/ptvsd-proxy python3 -m unittest -v site_proxy_real
"""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import CliTest, debug_sections, is_pe_x64, read, require_tool, run  # noqa: E402

BUILD = os.environ.get("PTVSD_BUILD_DIR", "")
LINUX_PROXY = os.environ.get("PTVSD_LINUX_PROXY", "")
SITE_PROXY = os.path.join("share", "ptvsd-publish", "site", "win-x64", "ptvsd-proxy.exe")


def setUpModule():
    require_tool()


class RealSiteProxyTest(CliTest):
    def setUp(self):
        super().setUp()
        self.assertTrue(BUILD and os.path.isdir(BUILD), "set PTVSD_BUILD_DIR to the build folder")
        self.site_proxy = os.path.join(BUILD, SITE_PROXY)

    def test_the_build_tree_holds_the_win_x64_proxy_stripped(self):
        self.assertTrue(is_pe_x64(read(self.site_proxy)), self.site_proxy)
        self.assertEqual(debug_sections(self.site_proxy), [])

    def test_the_built_tool_packages_it_by_default(self):
        project, out = self.folder("site"), os.path.join(self.tmp, "out")
        self.assertOk(run("publish", "--project", project, "--publish-dir", out))
        self.assertEqual(read(os.path.join(out, "bin", "ptvsd-proxy.exe")), read(self.site_proxy))

    def test_the_linux_proxy_is_refused(self):
        self.assertTrue(LINUX_PROXY, "set PTVSD_LINUX_PROXY to the built Linux ptvsd-proxy")
        project = self.folder("site")
        result = self.run_unchanged("publish", "--project", project, "--publish-dir",
                                    os.path.join(self.tmp, "out"), "--proxy", LINUX_PROXY)
        self.assertError(result, 3, "PTVSD052", LINUX_PROXY)
        self.assertIn("Linux program (ELF)", result.stderr)

    def test_an_installation_packages_its_own_by_default(self):
        with tempfile.TemporaryDirectory(prefix="ptvsd-install-") as temp:
            prefix = os.path.join(temp, "prefix with space")
            subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True, capture_output=True)
            installed = os.path.join(prefix, SITE_PROXY)
            self.assertEqual(read(installed), read(self.site_proxy))
            # Run from elsewhere: the proxy is found relative to the tool, not the working folder.
            project, out = os.path.join(temp, "site"), os.path.join(temp, "out")
            os.mkdir(project)
            done = subprocess.run([os.path.join(prefix, "bin", "ptvsd-publish"), "publish", "--project", project,
                                   "--publish-dir", out], cwd=temp, capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(read(os.path.join(out, "bin", "ptvsd-proxy.exe")), read(installed))

if __name__ == "__main__":
    unittest.main()
