"""The installed layout: `cmake --install` puts the tool, the proxy and the templates where the
tool finds them relative to its own executable, from any working directory (the win-x64 proxy for
sites: site_proxy_real.py).

Run from this folder:  PTVSD_BUILD_DIR=/path/to/build python3 -m unittest -v test_install
"""

import os
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from blackbox import assert_tool_works  # noqa: E402

BUILD = os.environ.get("PTVSD_BUILD_DIR", "")


class Installed(unittest.TestCase):
    def test_installed_tool_finds_its_templates(self):
        self.assertTrue(BUILD and os.path.isdir(BUILD), "set PTVSD_BUILD_DIR to the build folder")
        with tempfile.TemporaryDirectory(prefix="ptvsd-install-") as temp:
            prefix = os.path.join(temp, "prefix with space")
            subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True,
                           capture_output=True, text=True)
            tool = os.path.join(prefix, "bin", "ptvsd-publish")
            for template in ("native", "classic"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, "share", "ptvsd-publish", "templates",
                                                            template + ".config")))
            source = os.path.join(os.path.dirname(__file__), "..", "..", "python", "ptvsd_site.py")
            with open(os.path.join(prefix, "share", "ptvsd-publish", "python", "ptvsd_site.py"), "rb") as a, \
                    open(source, "rb") as b:
                self.assertEqual(a.read(), b.read(), "the site module is installed as it is in the source")
            # Each shell's completion where that shell looks under a prefix (completion_shells.py
            # loads them in the shells).
            for shell, path in (("bash", "bash-completion/completions/ptvsd-publish"),
                                ("zsh", "zsh/site-functions/_ptvsd-publish"),
                                ("fish", "fish/vendor_completions.d/ptvsd-publish.fish"),
                                ("powershell", "ptvsd-publish/ptvsd-publish-completion.ps1")):
                with open(os.path.join(prefix, "share", path)) as installed:
                    self.assertEqual(installed.read(), subprocess.run([tool, "completion", shell], check=True,
                                                                      capture_output=True, text=True).stdout)
            # Under /usr, the .deb's prefix, zsh's goes where Debian's zsh reads it (a DESTDIR
            # install stands in for the root).
            root = os.path.join(temp, "root")
            subprocess.run(["cmake", "--install", BUILD, "--prefix", "/usr"], check=True, capture_output=True,
                           text=True, env={**os.environ, "DESTDIR": root})
            self.assertEqual(os.listdir(os.path.join(root, "usr", "share", "zsh")), ["vendor-completions"])
            self.assertTrue(os.path.isfile(os.path.join(root, "usr", "share", "zsh", "vendor-completions",
                                                        "_ptvsd-publish")))
            assert_tool_works(self, tool)
            # The proxy for this system, to run by hand and for tests; sites get the win-x64 one
            # (site_proxy_real.py).
            self.assertTrue(os.stat(os.path.join(prefix, "bin", "ptvsd-proxy")).st_mode & stat.S_IXUSR)

if __name__ == "__main__":
    unittest.main()
