"""The release artifacts of .ci/release.sh, used as a pipeline would: the .deb installed by dpkg
into a scratch root (dpkg --root, its own database there) and the linux-x64 .tar.gz unpacked
outside the build tree, each running both programs from there with its templates, its
completions and man pages where their programs look; the win-x64 .zip and the .nupkg by their
layout; the proxies' info page linking the README at PTVSD_README_URL (or, empty, only naming
the section); SHA256SUMS over all of them; one version everywhere.

Run:  PTVSD_RELEASE_DIR=<out-dir> PTVSD_VERSION=x.y.z PTVSD_README_URL=<the release's> \\
      python3 -m unittest -v test_artifacts
(.ci/release.sh runs it; ctest's release_artifacts too when configured with PTVSD_RELEASE_DIR.)
"""

import glob
import hashlib
import html
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

for folder in ("support", "proxy"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, folder))

from blackbox import assert_needs_only_glibc, assert_tool_works  # noqa: E402
from proxy_harness import Proxy, free_port, raw_exchange  # noqa: E402

OUT = os.environ.get("PTVSD_RELEASE_DIR", "")
VERSION = os.environ.get("PTVSD_VERSION", "")
README_URL = os.environ.get("PTVSD_README_URL")
SHARE = "share/ptvsd-publish"
POWERSHELL = f"{SHARE}/ptvsd-publish-completion.ps1"
# Where each shell looks for its completion under a prefix; zsh's folder under /usr (the .deb)
# is the one Debian's zsh reads there (src/CMakeLists.txt).
COMPLETIONS = {"bash": "share/bash-completion/completions/ptvsd-publish",
               "fish": "share/fish/vendor_completions.d/ptvsd-publish.fish", "powershell": POWERSHELL}
ZSH = {"/usr": "share/zsh/vendor-completions/_ptvsd-publish", "other": "share/zsh/site-functions/_ptvsd-publish"}
SECTION = "the section <em>Attaching a debugger</em> of the ptvsd-publish README"


def one(pattern):
    found = glob.glob(os.path.join(OUT, pattern))
    assert len(found) == 1, f"expected one {pattern} in {OUT}, found {found}"
    return found[0]


def run(*command, cwd=None):
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True)


class Artifacts(unittest.TestCase):
    def setUp(self):
        self.assertTrue(OUT and os.path.isdir(OUT), "set PTVSD_RELEASE_DIR to the release folder")
        self.assertTrue(VERSION, "set PTVSD_VERSION")
        self.assertIsNotNone(README_URL, "set PTVSD_README_URL to the release's (empty: none)")

    def assert_links_the_readme(self, proxy):
        """The info page of the Linux `proxy`, served: a link to the README's section at
        PTVSD_README_URL, or with none the section named."""
        server = Proxy(free_port(), binary=proxy)
        try:
            page = raw_exchange(server.port, b"GET /ptvsd HTTP/1.1\r\nHost: x\r\n\r\n").decode("utf-8")
        finally:
            server.stop()
        self.assertIn(SECTION, page)
        if README_URL:
            self.assertIn(f'<a href="{html.escape(README_URL)}#attaching-a-debugger">{SECTION}</a>', page)
        else:
            self.assertNotIn("<a href=", page)

    def assert_win64_proxy_links_the_readme(self, data):
        """A win-x64 proxy, which the tests cannot serve from here: the address is in it."""
        self.assertEqual(data[:2], b"MZ")
        if README_URL:
            self.assertTrue(README_URL.encode("utf-8") in data, f"{README_URL} is not in the win-x64 proxy")

    def assert_shipped_manifest(self, read, folder):
        """The site proxy in `folder` and the manifest the build wrote beside it, which publish
        copies instead of hashing: the SHA-256 of exactly those bytes (`read`: name -> bytes)."""
        proxy = read(f"{folder}/ptvsd-proxy.exe")
        manifest = read(f"{folder}/ptvsd-proxy.exe.sha256").decode("ascii")
        self.assertEqual(manifest, hashlib.sha256(proxy).hexdigest() + "  ptvsd-proxy.exe\n")

    def use_installed(self, prefix, zsh):
        """Both programs of an unpacked Linux tree, from a folder elsewhere: the tool as a pipeline
        uses it (its templates found beside it), its completion scripts where each shell looks
        (zsh's at `zsh`), the proxy's --version, --help and info page, and neither needs more
        than glibc."""
        tool = os.path.join(prefix, "bin", "ptvsd-publish")
        proxy = os.path.join(prefix, "bin", "ptvsd-proxy")
        assert_tool_works(self, tool, VERSION)
        result = run(proxy, "--version")
        self.assertEqual((result.returncode, result.stdout.strip()), (0, f"ptvsd-proxy {VERSION}"), result.stderr)
        self.assertEqual(run(proxy, "--help").returncode, 0)
        self.assert_links_the_readme(proxy)
        with open(os.path.join(prefix, SHARE, "site/win-x64/ptvsd-proxy.exe"), "rb") as site_proxy:
            self.assert_win64_proxy_links_the_readme(site_proxy.read())
        self.assert_shipped_manifest(lambda name: open(os.path.join(prefix, name), "rb").read(),
                                     f"{SHARE}/site/win-x64")
        self.assertTrue(os.path.isfile(os.path.join(prefix, SHARE, "python/ptvsd_site.py")))
        for program in ("ptvsd-publish", "ptvsd-proxy"):
            self.assertTrue(os.path.isfile(os.path.join(prefix, "share/man/man1", program + ".1")))
        for shell, path in {**COMPLETIONS, "zsh": zsh}.items():
            with self.subTest(shell=shell), open(os.path.join(prefix, path), encoding="utf-8") as script:
                self.assertEqual(script.read(), run(tool, "completion", shell).stdout)
        assert_needs_only_glibc(self, tool, proxy)

    def test_deb_installed_by_dpkg_into_a_scratch_root(self):
        deb = one("*.deb")
        self.assertIn(f"_{VERSION}_amd64.deb", deb)
        fields = {name: run("dpkg-deb", "-f", deb, name).stdout.strip() for name in ("Version", "Depends")}
        self.assertEqual(fields["Version"], VERSION)
        self.assertRegex(fields["Depends"], r"^libc6( \(>= [0-9.]+\))?$", "nothing but the C library")
        with tempfile.TemporaryDirectory(prefix="ptvsd-release-root-") as root:
            # dpkg's database and log in the scratch root, nothing of the machine's touched; the
            # root has no libc6 to satisfy Depends (checked above), and no maintainer scripts run,
            # the package has none.
            admin = os.path.join(root, "var/lib/dpkg")
            for folder in ("updates", "info", "triggers"):
                os.makedirs(os.path.join(admin, folder))
            for name in ("status", "available"):
                open(os.path.join(admin, name), "w").close()
            dpkg = ["dpkg", f"--root={root}", f"--log={root}/dpkg.log", "--force-depends"]
            if os.geteuid() != 0:
                dpkg.append("--force-not-root")
            result = run(*dpkg, "--install", deb)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertRegex(run("dpkg", f"--root={root}", "--status", "ptvsd-publish").stdout,
                             r"(?m)^Status: install ok installed$")
            listed = set(run("dpkg", f"--root={root}", "--listfiles", "ptvsd-publish").stdout.splitlines())
            for path in ("bin/ptvsd-publish", "bin/ptvsd-proxy", ZSH["/usr"], *COMPLETIONS.values(),
                         "share/man/man1/ptvsd-publish.1"):
                self.assertIn("/usr/" + path, listed)
            self.use_installed(os.path.join(root, "usr"), ZSH["/usr"])

    def test_tar_gz_outside_the_build_tree(self):
        archive = one(f"*-{VERSION}-linux-x64.tar.gz")
        with tempfile.TemporaryDirectory(prefix="ptvsd-release-tar-") as temp:
            with tarfile.open(archive) as tar:
                tar.extractall(temp)
            (top,) = os.listdir(temp)
            self.assertEqual(top, f"ptvsd-publish-{VERSION}-linux-x64")
            self.use_installed(os.path.join(temp, top), ZSH["other"])

    def test_zip_layout(self):
        """The Linux trees' layout, less what Windows has no use for: the programs, the
        templates, the site proxy and module, and the PowerShell completion (the Linux tool's,
        as the .tar.gz holds it); no man pages, no bash, zsh or fish script."""
        archive = one(f"*-{VERSION}-win-x64.zip")
        top = f"ptvsd-publish-{VERSION}-win-x64/"
        with zipfile.ZipFile(archive) as zip_file:
            names = set(zip_file.namelist())
            for name in ("bin/ptvsd-publish.exe", "bin/ptvsd-proxy.exe", f"{SHARE}/site/win-x64/ptvsd-proxy.exe",
                         f"{SHARE}/templates/native.config", f"{SHARE}/templates/classic.config",
                         f"{SHARE}/python/ptvsd_site.py"):
                self.assertIn(top + name, names)
            files = sorted(name[len(top):] for name in names if not name.endswith("/"))
            self.assertEqual([name for name in files if not name.startswith(f"{SHARE}/templates/")],
                             ["bin/ptvsd-proxy.exe", "bin/ptvsd-publish.exe", f"{SHARE}/ptvsd-publish-completion.ps1",
                              f"{SHARE}/python/ptvsd_site.py", f"{SHARE}/site/win-x64/ptvsd-proxy.exe",
                              f"{SHARE}/site/win-x64/ptvsd-proxy.exe.sha256"])
            self.assert_shipped_manifest(lambda name: zip_file.read(top + name), f"{SHARE}/site/win-x64")
            for name in names:
                if name.endswith(".exe"):
                    self.assertEqual(zip_file.read(name)[:2], b"MZ", name)
            for name in ("bin/ptvsd-proxy.exe", f"{SHARE}/site/win-x64/ptvsd-proxy.exe"):
                self.assert_win64_proxy_links_the_readme(zip_file.read(top + name))
            powershell = zip_file.read(top + POWERSHELL)
        with tarfile.open(one(f"*-{VERSION}-linux-x64.tar.gz")) as tar:
            linux = tar.extractfile(f"ptvsd-publish-{VERSION}-linux-x64/{POWERSHELL}").read()
        self.assertEqual(powershell, linux)

    def test_nupkg(self):
        package = one(f"PtvsdPublish.{VERSION}.nupkg")
        with zipfile.ZipFile(package) as zip_file:
            names = set(zip_file.namelist())
            nuspec = zip_file.read("PtvsdPublish.nuspec").decode("utf-8")
            self.assert_win64_proxy_links_the_readme(zip_file.read("tools/share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe"))
            self.assert_shipped_manifest(zip_file.read, "tools/share/ptvsd-publish/site/win-x64")
        self.assertIn(f"<version>{VERSION}</version>", nuspec)
        for name in ("tools/linux-x64/ptvsd-publish", "tools/share/ptvsd-publish/templates/native.config",
                     "tools/share/ptvsd-publish/site/win-x64/ptvsd-proxy.exe"):
            self.assertIn(name, names)

    def test_readme_install_lines_name_these_artifacts(self):
        """README, Pipelines: each one-line install downloads an artifact of this release by its
        file name, and puts a bin/ folder the archive holds on the PATH."""
        readme = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "README.md"),
                      encoding="utf-8").read()
        lines = readme.split("Installing the tool on a fresh runner", 1)[1].split("\nAn MSBuild project", 1)[0]
        lines = re.sub(r"\$\{VERSION\}|\$env:VERSION|\$\(VERSION\)", VERSION, lines)
        downloaded = set(re.findall(r"RELEASE_URL\)?/(ptvsd-publish[\w.+-]+)", lines))
        self.assertEqual(len(downloaded), 3, lines)  # the .deb, the .tar.gz and the .zip
        for name in downloaded:
            self.assertTrue(os.path.isfile(os.path.join(OUT, name)), f"README installs {name}, not in {OUT}")
        tops = {f"ptvsd-publish-{VERSION}-linux-x64": one(f"*-{VERSION}-linux-x64.tar.gz"),
                f"ptvsd-publish-{VERSION}-win-x64": one(f"*-{VERSION}-win-x64.zip")}
        on_path = set(re.findall(r"(ptvsd-publish-[\w.+-]+)/bin\b", lines))
        self.assertEqual(on_path, set(tops), lines)
        for top, archive in tops.items():
            if archive.endswith(".zip"):
                with zipfile.ZipFile(archive) as zip_file:
                    names = zip_file.namelist()
            else:
                with tarfile.open(archive) as tar:
                    names = tar.getnames()
            self.assertTrue(any(name.startswith(f"{top}/bin/") for name in names), f"{archive} has no {top}/bin/")

    def test_sha256sums_cover_everything(self):
        with open(os.path.join(OUT, "SHA256SUMS"), encoding="utf-8") as file:
            listed = sorted(re.split(r"\s+\*?", line.strip(), maxsplit=1)[1] for line in file if line.strip())
        artifacts = sorted(os.path.basename(path) for pattern in ("*.deb", "*.tar.gz", "*.zip", "*.nupkg")
                           for path in glob.glob(os.path.join(OUT, pattern)))
        self.assertEqual(listed, artifacts)
        result = run("sha256sum", "--check", "--strict", "SHA256SUMS", cwd=OUT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
