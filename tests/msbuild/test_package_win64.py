"""The NuGet package as it ships: packed with the README's command from a staged install of the
Linux build and the win-x64 build (both host tools, the templates, the stripped win-x64 site proxy,
the site module), restored from a local feed by a small project, published with
`dotnet publish -c Debug` on Linux; then the published bin/ptvsd-proxy.exe started under Wine as
HttpPlatformHandler starts it. One pack, one restore, one publish.

ctest runs it as msbuild_package_win64 in the Linux build tree, whose PTVSD_SITE_PROXY names the
win-x64 build's bin/ptvsd-proxy.exe (tests/run.sh); without a win-x64 build it is disabled.
Environment: PTVSD_PUBLISH and PTVSD_BUILD_DIR (the Linux build), PTVSD_WIN64_BUILD_DIR, and for
Wine PTVSD_WINE, WINEPREFIX (the win-x64 tree's own), WINEDEBUG, DISPLAY.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "wine"))

import wine_runner  # noqa: E402
from blackbox import debug_sections, is_pe_x64, read  # noqa: E402
from msbuild_project import PLAIN_CSPROJ, ROOT, TOOL, Project, assert_proxy_packaged, dotnet, secret_of  # noqa: E402

BUILD = os.environ.get("PTVSD_BUILD_DIR", "")
WIN64_BUILD = os.environ.get("PTVSD_WIN64_BUILD_DIR", "")
STAGED_PROXY = "share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe"
SITE_PROXY = "tools/" + STAGED_PROXY
SITE_MODULE = "tools/share/ptvsd-publish/python/ptvsd_site.py"
# The matrix's plain-SDK site, publishing the package's site module as the README says to.
CSPROJ = PLAIN_CSPROJ.replace(
    "    <PackageReference",
    '    <Content Include="$(PtvsdPublishSiteModule)" Link="ptvsd_site.py" CopyToPublishDirectory="PreserveNewest" />\n'
    "    <PackageReference")


def setUpModule():
    for name, value in (("PTVSD_PUBLISH", TOOL), ("PTVSD_BUILD_DIR", BUILD), ("PTVSD_WIN64_BUILD_DIR", WIN64_BUILD)):
        if not value or not os.path.exists(value):
            raise RuntimeError(f"{name} must name the built tool or build folder (got {value!r})")
    wine_runner.require()


class PackageFromBothBuilds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.mkdtemp(prefix="ptvsd-package-win64-")
        if not os.environ.get("PTVSD_KEEP_TEMP"):
            cls.addClassCleanup(shutil.rmtree, cls.temp, True)
        # The README's packing steps ("Building, installing, packaging"): both builds installed
        # stripped into one stage, then one pack.
        stage = os.path.join(cls.temp, "stage")
        for build in (BUILD, WIN64_BUILD):
            subprocess.run(["cmake", "--install", build, "--prefix", stage, "--strip"], check=True,
                           capture_output=True)
        cls.stage_bin = os.path.join(stage, "bin")
        dotnet("pack", os.path.join(ROOT, "msbuild", "package", "PtvsdPublish.csproj"), "-o",
               os.path.join(cls.temp, "feed"), f"-p:PtvsdPublishBinDir={cls.stage_bin}",
               f"-p:PtvsdPublishWinBinDir={cls.stage_bin}", "--artifacts-path",
               os.path.join(cls.temp, "artifacts"), cwd=cls.temp)
        [nupkg] = glob.glob(os.path.join(cls.temp, "feed", "PtvsdPublish.*.nupkg"))
        cls.package = zipfile.ZipFile(nupkg)
        cls.addClassCleanup(cls.package.close)

        cls.project = Project(cls.temp, "site", feed=cls.temp)
        with open(os.path.join(cls.project.dir, "site.csproj"), "w") as f:
            f.write(CSPROJ)
        cls.published = dotnet("publish", "-c", "Debug", "-o", cls.project.out, "-p:PtvsdPublishSiteName=mysite",
                               cwd=cls.project.dir)
        cls.wwwroot = cls.project.out

    def test_the_package_holds_both_host_tools_the_templates_the_site_proxy_and_module(self):
        names = set(self.package.namelist())
        for name in ("tools/linux-x64/ptvsd-publish", "tools/win-x64/ptvsd-publish.exe",
                     "tools/share/ptvsd-publish/templates/native.config", SITE_PROXY, SITE_MODULE):
            self.assertIn(name, names)
        windows_tool = self.package.read("tools/win-x64/ptvsd-publish.exe")
        self.assertTrue(is_pe_x64(windows_tool))
        self.assertEqual(windows_tool, read(os.path.join(self.stage_bin, "ptvsd-publish.exe")))
        self.assertEqual(debug_sections(os.path.join(self.stage_bin, "ptvsd-publish.exe")), [],
                         "the packed Windows tool is stripped")
        self.assertEqual(self.package.read(SITE_MODULE), read(os.path.join(ROOT, "python", "ptvsd_site.py")))

    def test_a_debug_publish_deploys_the_packages_stripped_win64_proxy_and_its_manifest(self):
        proxy = os.path.join(self.wwwroot, "bin", "ptvsd-proxy.exe")
        data = read(proxy)
        self.assertTrue(is_pe_x64(data), "bin/ptvsd-proxy.exe is not a PE x64 program")
        self.assertEqual(data, self.package.read(SITE_PROXY))
        self.assertEqual(debug_sections(proxy), [])
        assert_proxy_packaged(self.wwwroot, "ptvsd-proxy.exe", os.path.join(self.stage_bin, "..", STAGED_PROXY))
        self.assertFalse(glob.glob(os.path.join(self.wwwroot, "bin", "ptvsd-proxy")), "no Linux proxy")

    def test_the_site_module_is_published_from_the_package(self):
        self.assertEqual(read(os.path.join(self.wwwroot, "ptvsd_site.py")),
                         self.package.read(SITE_MODULE))

    def test_the_publish_says_how_to_attach_with_the_tunnel(self):
        self.assertIn("run `ptvsd-publish attach --site mysite` in", self.published.stdout)
        self.assertNotIn("wss://", self.published.stdout)

    def test_the_published_proxy_runs_under_wine_as_httpplatformhandler_starts_it(self):
        wine_runner.assert_answers_as_site(self, self.wwwroot, secret_of(os.path.join(self.wwwroot, "web.config")))


if __name__ == "__main__":
    unittest.main()
