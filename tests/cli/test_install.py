"""The installed layout: `cmake --install` puts the tool, the proxy and the templates where the
tool finds them relative to its own executable, from any working directory.

Run from this folder:  PTVSD_BUILD_DIR=/path/to/build python3 -m unittest -v test_install
"""

import os
import stat
import subprocess
import tempfile
import unittest

BUILD = os.environ.get("PTVSD_BUILD_DIR", "")


class Installed(unittest.TestCase):
    def test_installed_tool_finds_its_templates_and_proxy(self):
        self.assertTrue(BUILD and os.path.isdir(BUILD), "set PTVSD_BUILD_DIR to the build folder")
        with tempfile.TemporaryDirectory(prefix="ptvsd-install-") as temp:
            prefix = os.path.join(temp, "prefix with space")
            subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], check=True,
                           capture_output=True, text=True)
            tool = os.path.join(prefix, "bin", "ptvsd-publish")
            for template in ("native", "classic"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, "share", "ptvsd-publish", "templates",
                                                            template + ".config")))
            project, out = os.path.join(temp, "site"), os.path.join(temp, "out")
            os.mkdir(project)
            elsewhere = os.path.join(temp, "elsewhere")
            os.mkdir(elsewhere)
            for template in ("native", "classic"):
                result = subprocess.run([tool, "publish", "--project", project, "--template", template,
                                         "--publish-dir", out], cwd=elsewhere, capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(f"template '{template}'", result.stderr)
            packaged = os.path.join(out, "bin", "ptvsd-proxy")
            with open(packaged, "rb") as a, open(os.path.join(prefix, "bin", "ptvsd-proxy"), "rb") as b:
                self.assertEqual(a.read(), b.read(), "the installed proxy is the one packaged by default")
            self.assertTrue(os.stat(packaged).st_mode & stat.S_IXUSR)


if __name__ == "__main__":
    unittest.main()
