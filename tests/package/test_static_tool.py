"""The statically linked ptvsd-publish, the Linux tool of the release and of the NuGet package: it
needs no shared library but glibc's, and works so linked. ctest's static_linkage runs this on
ptvsd-publish-static, which every test build links from ptvsd-publish's own objects the way
PTVSD_STATIC links the release's tool (src/CMakeLists.txt), or on a PTVSD_STATIC build's tool.

Run:  PTVSD_STATIC_TOOL=<binary> PTVSD_VERSION=x.y.z python3 -m unittest -v test_static_tool
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import assert_needs_only_glibc, assert_tool_works  # noqa: E402

TOOL = os.environ.get("PTVSD_STATIC_TOOL", "")
VERSION = os.environ.get("PTVSD_VERSION", "")


class StaticTool(unittest.TestCase):
    def setUp(self):
        # A missing tool is an error, never a skip: a CI run without it must not pass.
        self.assertTrue(TOOL and os.access(TOOL, os.X_OK), "set PTVSD_STATIC_TOOL to the statically linked tool")
        self.assertTrue(VERSION, "set PTVSD_VERSION")

    def test_needs_only_glibc(self):
        assert_needs_only_glibc(self, TOOL)

    def test_works(self):
        assert_tool_works(self, TOOL, VERSION)


if __name__ == "__main__":
    unittest.main()
