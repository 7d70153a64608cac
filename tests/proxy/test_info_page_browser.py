"""The info page rendered by a real browser (headless Chromium): it loads, has its title, shows
something (the screenshot is not blank) and never contains the secret.

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
        self.assertNotIn(SECRET, dom)

    def test_screenshot_shows_the_page(self):
        screenshot = self.work / "info-page.png"
        self.browse(f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}")
        self.assertTrue(screenshot.is_file(), "chromium wrote no screenshot")
        width, height, channels, rows = png_pixels(screenshot.read_bytes())
        self.assertEqual((width, height), (WIDTH, HEIGHT))
        # Text on a page makes many distinct colours (anti-aliasing) and many rows that differ
        # from the background; a blank or error-free-but-empty page has neither.
        colours = {row[x:x + 3] for row in rows[::4] for x in range(0, len(row), channels * 4)}
        self.assertGreater(len(colours), 20)
        background = rows[0]
        inked = sum(1 for row in rows if row != background)
        self.assertGreater(inked, HEIGHT // 4)


if __name__ == "__main__":
    unittest.main()
