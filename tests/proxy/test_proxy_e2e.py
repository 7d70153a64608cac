"""ptvsd-proxy end to end: a real debugpy behind it, real WebSocket clients in front of it.

Run with Debian's python3 (python3-debugpy, python3-websockets), from this folder:
  PTVSD_PROXY=/path/to/ptvsd-proxy /usr/bin/python3 -m unittest -v test_proxy_e2e
Only 127.0.0.1 is used; every wait is bounded (proxy_harness.WAIT).
"""

import asyncio
import threading
import time
import unittest
from pathlib import Path

import websockets
import websockets.exceptions

from proxy_harness import (SECRET, WAIT, Dap, Debuggee, Proxy, RawWebSocket, StandInDebugger, basic,
                           raw_exchange, status_of, upgrade_request, wait_until)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 4 * WAIT))


def connect(url, **kwargs):
    kwargs.setdefault("open_timeout", WAIT)
    kwargs.setdefault("close_timeout", WAIT)
    kwargs.setdefault("ping_interval", None)
    return websockets.connect(url, **kwargs)


async def echo(websocket, payload):
    await websocket.send(payload)
    answer = b""
    while len(answer) < len(payload):
        answer += await asyncio.wait_for(websocket.recv(), WAIT)
    return answer


class WithDebugpy(unittest.TestCase):
    """The proxy in front of `debugpy --listen --wait-for-client`, one debuggee per test."""

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

    def test_attach_with_the_secret_in_the_url(self):
        # python3-websockets sends wss://<secret>:@host as Authorization: Basic base64("<secret>:").
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                await self.attach(websocket)
        run(scenario())
        self.proxy.wait_for_log(r"session 1 \(127\.0\.0\.1\) closed after \d+s: the client closed")
        self.assertNotIn(SECRET, self.proxy.log())

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


class WithStandIn(unittest.TestCase):
    """The proxy in front of an echoing TCP server, with small limits so they can be reached.

    Clients that are meant to fail carry their own X-Forwarded-For (trusted here), so each test's
    failures count against an address of its own."""

    @classmethod
    def setUpClass(cls):
        cls.debugger = StandInDebugger()
        cls.proxy = Proxy(cls.debugger.port, "--max-message-bytes", "4096", "--handshake-timeout", "2",
                          "--max-sessions", "2", "--trust-x-forwarded-for")

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        cls.debugger.stop()

    def wait_for_sessions(self, count):
        # Sessions end asynchronously after a close; the next test must start from zero.
        wait_until(lambda: self.proxy.log().count(" closed after ") >= count, f"{count} closed sessions")

    def test_every_form_of_the_secret_is_accepted(self):
        forms = [("url userinfo 'secret:'", f"{SECRET}:@", None),
                 ("Basic 'secret:'", "", basic(SECRET + ":")),
                 ("Basic 'secret'", "", basic(SECRET)),
                 ("Bearer", "", "Bearer " + SECRET)]
        for what, userinfo, authorization in forms:
            with self.subTest(what):
                async def scenario():
                    headers = {"Authorization": authorization} if authorization else None
                    async with connect(self.proxy.url(userinfo), extra_headers=headers) as websocket:
                        self.assertEqual(await echo(websocket, b"Content-Length: 2\r\n\r\n{}"),
                                         b"Content-Length: 2\r\n\r\n{}")
                run(scenario())

    def test_refusals_reach_no_debugger(self):
        before = self.debugger.accepted
        cases = [
            (401, upgrade_request(authorization="Basic !!!not-base64!!!", extra="X-Forwarded-For: 192.0.2.1\r\n")),
            (401, upgrade_request(authorization="Basic ", extra="X-Forwarded-For: 192.0.2.1\r\n")),
            (401, upgrade_request(authorization=basic(SECRET[:10] + ":"), extra="X-Forwarded-For: 192.0.2.1\r\n")),
            (401, upgrade_request(authorization=basic(SECRET + ":password"), extra="X-Forwarded-For: 192.0.2.2\r\n")),
            (401, upgrade_request(authorization="Basic " + SECRET, extra="X-Forwarded-For: 192.0.2.2\r\n")),
            (401, upgrade_request(authorization="Token " + SECRET, extra="X-Forwarded-For: 192.0.2.2\r\n")),
            (400, upgrade_request().replace(b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", b"")),
            (400, upgrade_request().replace(b"Sec-WebSocket-Version: 13", b"Sec-WebSocket-Version: 8")),
            (400, b"HELLO THERE\r\n\r\n"),
            (400, b"GET /ptvsd HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
            (431, b"GET /ptvsd HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 40000 + b"\r\n\r\n"),
            (404, upgrade_request(path="/", authorization="Bearer " + SECRET)),
            (404, upgrade_request(path="/ptvsd/../admin", authorization="Bearer " + SECRET)),
            (405, b"POST /ptvsd HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
        ]
        for expected, request in cases:
            with self.subTest(request=request[:60]):
                self.assertEqual(status_of(raw_exchange(self.proxy.port, request)), expected)
        self.assertEqual(self.debugger.accepted, before)

    def test_info_page(self):
        response = raw_exchange(self.proxy.port, b"GET /ptvsd HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(response), 200)
        self.assertIn(b"<title>ptvsd-proxy: remote debugging endpoint</title>", response)
        self.assertNotIn(SECRET.encode(), response)
        head = raw_exchange(self.proxy.port, b"HEAD /ptvsd?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(head), 200)
        self.assertTrue(head.endswith(b"\r\n\r\n"), head[-80:])

    def test_oversized_message_ends_only_its_own_session(self):
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as steady:
                self.assertEqual(await echo(steady, b"before"), b"before")
                closed_before = self.debugger.closed_by_peer
                async with connect(self.proxy.url(f"{SECRET}:@")) as big:
                    await big.send(b"x" * 5000)  # over --max-message-bytes 4096
                    with self.assertRaises(websockets.exceptions.ConnectionClosedError) as caught:
                        await asyncio.wait_for(big.recv(), WAIT)
                    self.assertEqual(caught.exception.rcvd.code, 1009)  # message too big
                # The big session's TCP side was closed too; the steady one goes on.
                await asyncio.get_running_loop().run_in_executor(
                    None, lambda: wait_until(lambda: self.debugger.closed_by_peer > closed_before,
                                             "the stand-in to see the big session's TCP side close"))
                self.assertEqual(await echo(steady, b"after"), b"after")
        run(scenario())

    def test_slow_client_is_cut_off_without_disturbing_a_session(self):
        request = upgrade_request(authorization="Bearer " + SECRET)
        outcome = {}

        def dribble():
            import socket
            with socket.create_connection(("127.0.0.1", self.proxy.port), timeout=WAIT) as s:
                try:
                    for byte in request:
                        s.sendall(bytes([byte]))
                        time.sleep(0.05)  # pacing of the attack, not an assertion
                    outcome["answer"] = s.recv(100)
                except OSError as error:
                    outcome["error"] = error
                outcome["sent"] = True

        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as steady:
                thread = threading.Thread(target=dribble)
                thread.start()
                await asyncio.get_running_loop().run_in_executor(None, thread.join, 2 * WAIT)
                self.assertFalse(thread.is_alive())
                # Cut off (reset, or closed with nothing said) before the request was complete.
                self.assertTrue("error" in outcome or outcome.get("answer") == b"", outcome)
                self.assertEqual(await echo(steady, b"still here"), b"still here")
        run(scenario())

    def test_client_close_closes_the_debugger_connection(self):
        async def scenario():
            closed_before = self.debugger.closed_by_peer
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                self.assertEqual(await echo(websocket, b"ping"), b"ping")
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: wait_until(lambda: self.debugger.closed_by_peer > closed_before,
                                         "the stand-in to see its connection closed"))
        run(scenario())

    def test_debugger_close_closes_the_websocket_cleanly(self):
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as websocket:
                await websocket.send(b"CLOSE\n")
                with self.assertRaises(websockets.exceptions.ConnectionClosedOK) as caught:
                    await asyncio.wait_for(websocket.recv(), WAIT)
                self.assertEqual(caught.exception.rcvd.code, 1000)
        run(scenario())

    def test_a_debugger_write_goes_out_as_one_frame(self):
        # Beast fragments messages into 4 KiB frames by default, one write each: a client copes,
        # but the proxy's throughput does not (bench/). Frames are read off the wire here.
        size = 60 * 1024
        websocket = RawWebSocket(self.proxy.port, "Bearer " + SECRET)
        try:
            self.assertEqual(status_of(websocket.response), 101)
            websocket.send(b"SEND %d\n" % size)
            frames = []
            while sum(len(payload) for _, _, payload in frames) < size:
                frames.append(websocket.frame())
            headers = [(fin, opcode, len(payload)) for fin, opcode, payload in frames]
            self.assertTrue(all(fin and opcode == 2 for fin, opcode, _ in headers),
                            f"fragmented (fin, opcode, size): {headers}")
            self.assertEqual(b"".join(payload for _, _, payload in frames), b"y" * size)
            # The premise: a frame bigger than Beast's fragments. The proxy makes one message of
            # each read; a 60 KiB write over loopback came in one read (95 of 100 runs) or two.
            self.assertGreater(max(length for _, _, length in headers), 4096, headers)
            websocket.close()
        finally:
            websocket.socket.close()

    def test_session_limit(self):
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@")) as first, \
                    connect(self.proxy.url(f"{SECRET}:@")) as second:
                self.assertEqual(await echo(first, b"1"), b"1")
                self.assertEqual(await echo(second, b"2"), b"2")
                with self.assertRaises(websockets.exceptions.InvalidStatusCode) as caught:
                    async with connect(self.proxy.url(f"{SECRET}:@")):
                        pass
                self.assertEqual(caught.exception.status_code, 503)
            # Both closed: a new session fits again once the proxy has ended them.
            for _ in range(100):
                try:
                    async with connect(self.proxy.url(f"{SECRET}:@")) as third:
                        self.assertEqual(await echo(third, b"3"), b"3")
                        return
                except websockets.exceptions.InvalidStatusCode as error:
                    self.assertEqual(error.status_code, 503)
                    await asyncio.sleep(0.05)
            self.fail("no session slot came free after two sessions closed")
        run(scenario())

    def test_repeated_failures_are_slowed_down_and_logged_without_the_value(self):
        address = "198.51.100.7"
        forwarded = f"X-Forwarded-For: 10.9.9.9, {address}:40000\r\n"
        attempts = [f"guess-number-{i}-{'y' * 20}" for i in range(6)]
        for attempt in attempts:  # five free failures, the sixth starts a delay
            response = raw_exchange(self.proxy.port, upgrade_request(authorization="Bearer " + attempt,
                                                                     extra=forwarded))
            self.assertEqual(status_of(response), 401)
        blocked = raw_exchange(self.proxy.port, upgrade_request(authorization="Bearer " + SECRET, extra=forwarded))
        self.assertEqual(status_of(blocked), 429)  # the right secret is not even checked now
        self.assertIn(b"\r\nRetry-After: 1\r\n", blocked)
        # Another address is not affected.
        other = raw_exchange(self.proxy.port, upgrade_request(authorization="Bearer wrong",
                                                               extra="X-Forwarded-For: 198.51.100.8\r\n"))
        self.assertEqual(status_of(other), 401)

        log = self.proxy.log()
        self.assertIn(f"{address}: WebSocket upgrade refused: wrong or missing secret (failure 6 in a row; "
                      "further attempts refused for 1s)", log)
        for attempt in attempts:
            self.assertNotIn(attempt, log)
        self.assertNotIn("10.9.9.9", log)  # the forgeable part of X-Forwarded-For is ignored

        def admitted():
            response = raw_exchange(self.proxy.port, upgrade_request(authorization="Bearer " + SECRET,
                                                                     extra=forwarded))
            self.assertIn(status_of(response), (101, 429))
            return status_of(response) == 101
        wait_until(admitted, "the delay to run out", interval=0.1)


class Backpressure(unittest.TestCase):
    """A client that does not read must stop the debugger's writes, not fill the proxy's memory."""

    FLOOD = 96 * 1024 * 1024

    def setUp(self):
        self.debugger = StandInDebugger(flood_bytes=self.FLOOD)
        self.addCleanup(self.debugger.stop)
        self.proxy = Proxy(self.debugger.port)
        self.addCleanup(self.proxy.stop)

    def resident_bytes(self):
        status = Path(f"/proc/{self.proxy.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS in /proc/PID/status")

    def test_a_client_that_does_not_read_stalls_the_debugger(self):
        async def scenario():
            async with connect(self.proxy.url(f"{SECRET}:@"), max_queue=1, read_limit=2 ** 16) as websocket:
                await websocket.send(b"FLOOD\n")
                # Wait for the flood to stall (no progress for half a second, a bounded wait),
                # reading nothing meanwhile.
                last = [-1, time.monotonic()]

                def stalled():
                    if self.debugger.flood_sent != last[0]:
                        last[0], last[1] = self.debugger.flood_sent, time.monotonic()
                    return time.monotonic() - last[1] > 0.5 or self.debugger.flood_done.is_set()
                await asyncio.get_running_loop().run_in_executor(
                    None, lambda: wait_until(stalled, "the flood to stall", timeout=3 * WAIT))
                self.assertFalse(self.debugger.flood_done.is_set(),
                                 "the whole flood went through although the client read nothing")
                self.assertLess(self.resident_bytes(), 48 * 1024 * 1024)
                # Everything arrives, in order, once the client reads.
                received = 0
                while received < self.FLOOD:
                    message = await asyncio.wait_for(websocket.recv(), WAIT)
                    self.assertEqual(message, b"x" * len(message))
                    received += len(message)
                self.assertEqual(received, self.FLOOD)
        run(scenario())


if __name__ == "__main__":
    unittest.main()
