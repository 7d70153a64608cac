"""Cases of ptvsd-proxy in front of the real debugpy, shared by the suites that run them: proxy_e2e
(test_proxy_e2e.py, the Linux build) and wine_proxy (tests/wine/test_proxy_wine.py, the win-x64
build under Wine, PTVSD_PROXY_RUNNER). A helper module, not a test module: the cases run only
where a suite mixes DebugpyCases into a unittest.TestCase.

Debian's python3 (python3-debugpy, python3-websockets), with this folder on sys.path.
"""

import asyncio

import websockets

from proxy_harness import SECRET, WAIT, Dap, Debuggee, Proxy, basic, raw_exchange, status_of, upgrade_request


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 4 * WAIT))


def connect(url, **kwargs):
    kwargs.setdefault("open_timeout", WAIT)
    kwargs.setdefault("close_timeout", WAIT)
    kwargs.setdefault("ping_interval", None)
    return websockets.connect(url, **kwargs)


class DebugpyCases:
    """The proxy in front of `debugpy --listen --wait-for-client`, one debuggee per test. A mixin:
    a suite runs these as `class WithDebugpy(DebugpyCases, unittest.TestCase)`."""

    def setUp(self):
        self.debuggee = Debuggee()
        self.addCleanup(self.debuggee.stop)
        self.proxy = Proxy(self.debuggee.port)
        self.addCleanup(self.proxy.stop)

    async def attach(self, websocket):
        dap = Dap(websocket)
        await dap.send("initialize", {"adapterID": "debugpy", "clientID": "ptvsd-proxy-test",
                                      "linesStartAt1": True, "columnsStartAt1": True})
        initialized = await dap.until(lambda m: m.get("command") == "initialize", "initialize response")
        self.assertTrue(initialized["success"], initialized)
        self.assertTrue(initialized["body"]["supportsConfigurationDoneRequest"])

        attach_seq = await dap.send("attach", {"justMyCode": False})
        await dap.until(lambda m: m.get("event") == "initialized", "initialized event")
        await dap.send("configurationDone")
        attached = await dap.until(lambda m: m.get("request_seq") == attach_seq, "attach response")
        self.assertTrue(attached["success"], attached)
        # The debuggee is the process the test started: the bytes really went to that debugpy.
        process = await dap.until(lambda m: m.get("event") == "process", "process event")
        self.assertEqual(process["body"]["systemProcessId"], self.debuggee.process.pid)
        return dap

    def test_attach_with_the_secret_in_the_url(self):
        # python3-websockets sends wss://<secret>:@host as Authorization: Basic base64("<secret>:").
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                await self.attach(websocket)
        run(scenario())
        self.proxy.wait_for_log(r"session 1 \(127\.0\.0\.1\) closed after \d+s: the client closed")
        self.assertNotIn(SECRET, self.proxy.log())

    def test_a_second_debugger_is_refused_with_a_reason_and_the_first_debugs_on(self):
        # debugpy serves one client; the proxy's default limit refuses the second before it
        # reaches debugpy (which would answer "already being debugged" inside the DAP session).
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                dap = await self.attach(websocket)
                second = raw_exchange(self.proxy.port, upgrade_request(authorization=basic(SECRET + ":")))
                self.assertEqual(status_of(second), 503)
                self.assertIn(b"\r\nRetry-After: 5\r\n", second)
                self.assertIn(b"Another debugger is attached to this site, and debugpy serves one at a time: "
                              b"detach it, then attach again.", second)
                threads = await dap.send("threads")
                answer = await dap.until(lambda m: m.get("request_seq") == threads, "threads response")
                self.assertTrue(answer["success"], answer)
                # Detach as a debugger does, so debugpy ends the session before the next attach
                # (a bare close can leave it "already being debugged" for a moment).
                detach = await dap.send("disconnect", {"terminateDebuggee": False})
                await dap.until(lambda m: m.get("request_seq") == detach, "disconnect response")
        run(scenario())
        self.assertIn("127.0.0.1: WebSocket upgrade refused: 1 debugger session(s) open already (--max-sessions)",
                      self.proxy.log())
        self.proxy.wait_for_log(r"session 1 \(127\.0\.0\.1\) closed after")

        async def reattach():
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                await self.attach(websocket)
        run(reattach())

    def test_wrong_secrets_never_reach_debugpy(self):
        # Five: the rate limiter's free failures, so the right secret is checked straight after.
        wrong = [None, basic("wrong:"), basic(SECRET[:-1] + ":"), basic(SECRET + "x:"), "Bearer " + SECRET[:22]]
        for authorization in wrong:
            with self.subTest(authorization=authorization):
                response = raw_exchange(self.proxy.port, upgrade_request(authorization=authorization))
                self.assertEqual(status_of(response), 401)
                self.assertTrue(response.endswith(b"\r\n\r\n401 Unauthorized\n"), response)
        # debugpy saw no client: it still waits, and the right secret attaches now.
        self.assertIsNone(self.debuggee.process.poll())

        async def scenario():
            async with connect(self.proxy.url(), extra_headers={"Authorization": "Bearer " + SECRET}) as websocket:
                await self.attach(websocket)
        run(scenario())
        log = self.proxy.log()
        self.assertIn("127.0.0.1: WebSocket upgrade refused: wrong or missing secret (failure 5 in a row", log)
        self.assertNotIn(SECRET[:22], log)
        self.assertNotIn("wrong", log.replace("wrong or missing", ""))
