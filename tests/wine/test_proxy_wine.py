"""ptvsd-proxy.exe (win-x64) under Wine, in front of the real debugpy on Linux.

The cases proxy_e2e runs with debugpy (tests/proxy/debugpy_cases.py) run here against the exe
(PTVSD_PROXY_RUNNER puts Wine in front of it): a DAP initialize/attach through the WebSocket with
the secret, wrong secrets 401. Then the exe is started as HttpPlatformHandler starts it:
HTTP_PLATFORM_PORT set, no arguments, the secret in the web.config one folder above it
(wwwroot/bin/ptvsd-proxy.exe -> wwwroot/web.config).

Debian's python3 (python3-debugpy, python3-websockets); ctest in build-win64 sets the variables.
"""

import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

# Before any import of tests/proxy's harness (wine_runner imports it): the harness sizes its waits
# (WAIT, 120 s under a runner instead of 20 s) from this variable when it is first imported.
os.environ.setdefault("PTVSD_PROXY_RUNNER", os.environ.get("PTVSD_WINE", ""))

import wine_runner  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "proxy"))

from debugpy_cases import DebugpyCases  # noqa: E402
from proxy_harness import SECRET  # noqa: E402

SITE_CONFIG = f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="WSGI_PTVSD_SECRET" value="{SECRET}"/>
  </appSettings>
</configuration>
"""


def setUpModule():
    wine_runner.require("PTVSD_PROXY")


class WithDebugpy(DebugpyCases, unittest.TestCase):
    """ptvsd-proxy.exe, under Wine, in front of `debugpy --listen --wait-for-client`."""


class UnderHttpPlatformHandler(unittest.TestCase):
    def setUp(self):
        self.wwwroot = Path(tempfile.mkdtemp(prefix="ptvsd-wine-wwwroot-"))
        self.addCleanup(shutil.rmtree, self.wwwroot, True)
        (self.wwwroot / "bin").mkdir()
        shutil.copy(os.environ["PTVSD_PROXY"], self.wwwroot / "bin" / "ptvsd-proxy.exe")
        (self.wwwroot / "web.config").write_text(SITE_CONFIG)

    def test_info_page_and_401_with_the_secret_from_the_site_config(self):
        wine_runner.assert_answers_as_site(self, self.wwwroot, SECRET)


if __name__ == "__main__":
    unittest.main()
