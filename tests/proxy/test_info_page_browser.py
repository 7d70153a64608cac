"""The info page rendered by a real browser (headless Chromium): it loads, has its title, shows
something (the screenshot is not blank), follows the system's colour scheme (--force-dark-mode),
points to the README's section on attaching, and never contains the secret.

Run from this folder:
  PTVSD_PROXY=/path/to/ptvsd-proxy PTVSD_CHROMIUM=/usr/bin/chromium python3 -m unittest -v test_info_page_browser
Set PTVSD_PROXY_KEEP=1 to keep the screenshot (its path is printed); it is kept when a test fails.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
from pathlib import Path

from proxy_harness import SECRET, WAIT, Proxy, free_port

WIDTH, HEIGHT = 1000, 800


def chromium():
    return os.environ.get("PTVSD_CHROMIUM") or shutil.which("chromium")


def png_pixels(data):
    """(width, height, rows of raw bytes) of an 8-bit RGB/RGBA PNG, with the row filters undone."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError("not a PNG file")
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace != 0:
        raise AssertionError(f"unexpected PNG format: depth {depth}, color type {color}, interlace {interlace}")
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = row[x - channels] if x >= channels else 0
            up = previous[x]
            up_left = previous[x - channels] if x >= channels else 0
            if kind == 1:
                row[x] = (row[x] + left) & 0xFF
            elif kind == 2:
                row[x] = (row[x] + up) & 0xFF
            elif kind == 3:
                row[x] = (row[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                row[x] = (row[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, channels, rows


class InfoPageInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not chromium():
            raise unittest.SkipTest("chromium is not installed (Debian: chromium)")
        cls.work = Path(tempfile.mkdtemp(prefix="ptvsd-proxy-browser-"))
        cls.keep = bool(os.environ.get("PTVSD_PROXY_KEEP"))
        # Nothing listens on the debugger port: a page view must not need the debug server.
        cls.proxy = Proxy(free_port())

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        if cls.keep:
            print(f"\nscreenshot and DOM kept in {cls.work}", file=sys.stderr)
        else:
            shutil.rmtree(cls.work, ignore_errors=True)

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before:
            type(self).keep = True
        return outcome

    def browse(self, *arguments):
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.work)
        command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--hide-scrollbars", f"--user-data-dir={profile}", *arguments,
                   f"http://127.0.0.1:{self.proxy.port}/ptvsd"]
        result = subprocess.run(command, capture_output=True, timeout=6 * WAIT, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", "replace")[-2000:])
        return result

    def test_title_and_text_in_the_dom(self):
        dom = self.browse("--dump-dom").stdout.decode("utf-8")
        (self.work / "dom.html").write_text(dom, encoding="utf-8")
        self.assertIn("<title>ptvsd-proxy: remote debugging endpoint</title>", dom)
        self.assertIn("ptvsd-publish url --site NAME", dom)
        self.assertIn("wss://&lt;secret&gt;@&lt;site&gt;/ptvsd", dom)
        # What a newcomer needs from today's debuggers: the tunnel, where to attach, VS Code's
        # entry with path mappings, Visual Studio, the app's side, one debugger at a time.
        for text in ("ptvsd-publish attach --site NAME", "127.0.0.1:5678", '"type": "debugpy"', '"pathMappings"',
                     "Python remote (debugpy)", "tcp://127.0.0.1:5678", "never hit", "ptvsd_site.listen()",
                     "One debugger at a time", "--timeout 1800",
                     # where attach finds the secret: the project's file, else the one a Debug publish generates
                     "the project's <code>web.debug.config</code>", "obj/ptvsd-publish/web.debug.config"):
            self.assertIn(text, dom)
        self.assertNotIn(SECRET, dom)

    def screenshot(self, name, *arguments):
        screenshot = self.work / name
        self.browse(f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}", *arguments)
        self.assertTrue(screenshot.is_file(), "chromium wrote no screenshot")
        width, height, channels, rows = png_pixels(screenshot.read_bytes())
        self.assertEqual((width, height), (WIDTH, HEIGHT))
        return channels, rows

    def assertShowsText(self, channels, rows):
        # Text on a page makes many distinct colours (anti-aliasing) and many rows that differ
        # from the background; a blank or error-free-but-empty page has neither.
        colours = {row[x:x + 3] for row in rows[::4] for x in range(0, len(row), channels * 4)}
        self.assertGreater(len(colours), 20)
        background = rows[0]
        inked = sum(1 for row in rows if row != background)
        self.assertGreater(inked, HEIGHT // 4)

    def assertColour(self, channels, rows, x, y, expected):
        actual = tuple(rows[y][x * channels:x * channels + 3])
        self.assertTrue(all(abs(a - e) <= 3 for a, e in zip(actual, expected)), f"({x},{y}) is {actual}, not {expected}")

    def test_screenshot_shows_the_page(self):
        self.assertShowsText(*self.screenshot("info-page.png"))

    def test_dark_mode_follows_the_system(self):
        """The page's own colours, light and dark: the inline style applies under the page's CSP,
        and its prefers-color-scheme rules when the system is dark."""
        # The page's background at the corner; the panel holding the text inside its padding
        # (46rem wide, centred, 2rem from the top).
        panel = (WIDTH // 2 - 46 * 16 // 2 + 12, 32 + 12)
        light = self.screenshot("light.png")
        self.assertColour(*light, 0, 0, (0xf6, 0xf8, 0xfa))
        self.assertColour(*light, *panel, (0xff, 0xff, 0xff))
        dark = self.screenshot("dark.png", "--force-dark-mode")
        self.assertColour(*dark, 0, 0, (0x0d, 0x11, 0x17))
        self.assertColour(*dark, *panel, (0x15, 0x1b, 0x23))
        self.assertShowsText(*dark)

    def test_points_to_the_readme_section_on_attaching(self):
        dom = self.browse("--dump-dom").stdout.decode("utf-8")
        section = "the section <em>Attaching a debugger</em> of the ptvsd-publish README"
        url = os.environ.get("PTVSD_README_URL", "")  # the build's PTVSD_README_URL, from ctest
        if url:
            self.assertIn(f'<a href="{url}#attaching-a-debugger">{section}</a>', dom)
        else:
            self.assertIn(section + " (<code>README.md</code> in the PtvsdPublish NuGet package", dom)
        # The anchor is the one Markdown renderers give the README's heading.
        readme = (Path(__file__).parent / ".." / ".." / "README.md").read_text(encoding="utf-8")
        self.assertIn("\n## Attaching a debugger\n", readme)


if __name__ == "__main__":
    unittest.main()
