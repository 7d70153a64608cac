"""ptvsd-publish.exe (win-x64) under Wine: each command once, as on a Windows build machine, a
failure with its exit code, and concurrent rotates of one file, which must all succeed (Windows
refuses to replace a file that another run holds open; these once failed with PTVSD031).

    PTVSD_WINE=/usr/lib/wine/wine64 PTVSD_PUBLISH_EXE=build-win64/bin/ptvsd-publish.exe \\
      WINEPREFIX=... python3 -m unittest -v test_cli_wine     (ctest in build-win64 sets these)
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import wine_runner

TOOL = os.environ.get("PTVSD_PUBLISH_EXE", "")
KEY = "WSGI_PTVSD_SECRET"
SECRET = re.compile(r'key="WSGI_PTVSD_SECRET" value="([A-Za-z0-9_-]{43})"')


def setUpModule():
    wine_runner.require("PTVSD_PUBLISH_EXE")


def tool(*args, cwd):
    return wine_runner.run(TOOL, *args, cwd=cwd)


def secret_in(path):
    with open(path, encoding="utf-8") as f:
        values = SECRET.findall(f.read())
    if len(values) != 1:
        raise AssertionError(f"{path}: expected one {KEY} setting, found {len(values)}")
    return values[0]


class WindowsTool(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="ptvsd-wine-cli-")
        self.addCleanup(shutil.rmtree, self.folder, True)

    def assertOk(self, result):
        self.assertEqual(result.returncode, 0, f"stdout: {result.stdout!r}\nstderr: {result.stderr!r}")

    def publish(self):
        result = tool("publish", "--project", ".", cwd=self.folder)
        self.assertOk(result)
        return os.path.join(self.folder, "web.debug.config")

    def test_publish_url_rotate_check(self):
        config = self.publish()
        secret = secret_in(config)
        url = tool("url", "--site", "demo", "--config", "web.debug.config", cwd=self.folder)
        self.assertOk(url)
        self.assertEqual(url.stdout.strip(), f"wss://{secret}:@demo.azurewebsites.net/ptvsd")

        with open(config, "rb") as f:
            before = f.read()
        rotated = tool("rotate", "web.debug.config", cwd=self.folder)
        self.assertOk(rotated)
        new_secret = secret_in(config)
        self.assertNotEqual(new_secret, secret)
        with open(config, "rb") as f:
            self.assertEqual(f.read(), before.replace(secret.encode(), new_secret.encode()))
        for result in (rotated, tool("publish", "--project", ".", cwd=self.folder)):
            self.assertNotIn(new_secret, result.stdout + result.stderr)

        checked = tool("check", "--project", ".", cwd=self.folder)
        self.assertOk(checked)
        self.assertEqual(sorted(os.listdir(self.folder)), [".ptvsd-publish.lock", "web.debug.config"])

    def test_crlf_and_a_bom_are_kept(self):
        # What a Windows editor writes; rotate changes the value and no other byte.
        config = os.path.join(self.folder, "web.config")
        text = ('\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<configuration>\r\n  <appSettings>\r\n'
                f'    <add key="{KEY}" value="old-secret-value"/>\r\n  </appSettings>\r\n</configuration>\r\n')
        with open(config, "wb") as f:
            f.write(text.encode("utf-8"))
        self.assertOk(tool("rotate", "web.config", cwd=self.folder))
        with open(config, "rb") as f:
            self.assertEqual(f.read(), text.replace("old-secret-value", secret_in(config)).encode("utf-8"))

    def test_a_config_without_the_secret_fails_with_its_code(self):
        with open(os.path.join(self.folder, "web.config"), "w", encoding="utf-8") as f:
            f.write("<configuration><appSettings/></configuration>\n")
        result = tool("check", "web.config", cwd=self.folder)
        self.assertEqual(result.returncode, 10, result.stderr)
        self.assertIn("error PTVSD101", result.stderr)
        rotate = tool("rotate", "web.config", cwd=self.folder)
        self.assertEqual(rotate.returncode, 3, rotate.stderr)
        with open(os.path.join(self.folder, "web.config"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "<configuration><appSettings/></configuration>\n")

    def test_twenty_concurrent_rotates_of_one_file_all_succeed(self):
        # rotate takes the folder's lock (LockFile on Windows) as publish does, so the runs take
        # turns: none meets PTVSD035 (a version replaced meanwhile) or what Windows alone did
        # before its fix (PTVSD031 "Permission denied" while another run held the file open).
        config = self.publish()
        runs = [subprocess.Popen(wine_runner.command(TOOL, "rotate", "web.debug.config"), cwd=self.folder,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(20)]
        failures = []
        for process in runs:
            _, stderr = process.communicate(timeout=wine_runner.WAIT)
            if process.returncode != 0:
                failures.append(f"exit {process.returncode}: {stderr.decode('utf-8', 'replace')}")
        self.assertEqual(failures, [])
        # No temp file left; the lock file stays, empty, as publish leaves it.
        self.assertEqual(sorted(os.listdir(self.folder)), [".ptvsd-publish.lock", "web.debug.config"])
        secret_in(config)  # one well-formed setting
        self.assertOk(tool("check", "--project", ".", cwd=self.folder))


if __name__ == "__main__":
    unittest.main()
