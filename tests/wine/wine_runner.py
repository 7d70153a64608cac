"""Running the win-x64 programs under Wine for the suites in this folder.

The suites read PTVSD_WINE (the Wine loader, /usr/lib/wine/wine64 on Debian) and the programs'
paths from the environment, which tests/wine/wine.cmake sets for ctest in the win-x64 build tree;
WINEPREFIX and WINEDEBUG come from there too (tests/msbuild's package test sets the same). Standard
library and tests/proxy's harness only.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "proxy"))
from proxy_harness import (basic, free_port, is_listening, raw_exchange, status_of, stop_process,  # noqa: E402
                           upgrade_request, wait_until)

WINE = os.environ.get("PTVSD_WINE", "")
WAIT = 120  # seconds: the bound on one program run; Wine starts a program in well under one


def require(*names):
    """The environment variables naming what the suite runs; a missing one is an error, never a
    skip, so a CI run without the Windows build cannot pass."""
    missing = [name for name in ("PTVSD_WINE", *names) if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: run these tests through ctest in the win-x64 "
                           "build tree (tests/run.sh does)")


def command(exe, *args):
    return [WINE, exe, *map(str, args)]


def run(exe, *args, cwd=None, env=None):
    """Runs `exe` under Wine; stdout and stderr come back as text."""
    done = subprocess.run(command(exe, *args), cwd=cwd, env=env, capture_output=True, timeout=WAIT)
    done.stdout = done.stdout.decode("utf-8", "replace")
    done.stderr = done.stderr.decode("utf-8", "replace")
    return done


def assert_answers_as_site(test, wwwroot, secret):
    """Starts wwwroot/bin/ptvsd-proxy.exe as HttpPlatformHandler starts it (HTTP_PLATFORM_PORT set,
    no arguments, no secret in the environment: it reads wwwroot/web.config), then asserts the
    information page, which shows no secret, and a 401 without the secret and with a wrong one."""
    port = free_port()
    env = dict(os.environ, HTTP_PLATFORM_PORT=str(port))
    env.pop("WSGI_PTVSD_SECRET", None)
    # IIS starts it in the site's folder; the exe finds web.config from its own path, not that.
    proxy = subprocess.Popen(command(Path(wwwroot) / "bin" / "ptvsd-proxy.exe"), cwd=wwwroot, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    test.addCleanup(proxy.stderr.close)
    test.addCleanup(stop_process, proxy)
    # A Wine start is the slow part, seconds on a loaded machine (over 20 s was seen at load 15):
    # the bound is the one for any Wine program run, not the proxy harness's.
    wait_until(lambda: proxy.poll() is not None or is_listening(port), "the proxy to listen", timeout=WAIT)
    test.assertIsNone(proxy.poll(), "the proxy exited")

    info = raw_exchange(port, b"GET /ptvsd HTTP/1.1\r\nHost: x\r\n\r\n")
    test.assertEqual(status_of(info), 200)
    test.assertIn(b"<title>ptvsd-proxy: remote debugging endpoint</title>", info)
    test.assertNotIn(secret.encode(), info)
    for authorization in (None, basic("wrong:")):
        with test.subTest(authorization=authorization):
            refused = raw_exchange(port, upgrade_request(authorization=authorization))
            test.assertEqual(status_of(refused), 401)
