"""Starting ptvsd-proxy, debugpy and stand-in debug servers for the tests, every wait bounded.

Only 127.0.0.1 is used. Every process started here is ended by the test that started it, by its
own handle, and its stderr is kept for the failure message.
"""

import asyncio
import base64
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SECRET = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ"
# Seconds: the bound on any single wait; a healthy run needs a fraction of it. A program started
# through a runner (Wine) can take over 20 s just to start on a loaded machine.
WAIT = 120.0 if os.environ.get("PTVSD_PROXY_RUNNER") else 20.0


def proxy_binary():
    path = os.environ.get("PTVSD_PROXY", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("PTVSD_PROXY must name the built ptvsd-proxy binary")
    return path


def proxy_runner():
    """What the proxy runs under, as a command prefix: PTVSD_PROXY_RUNNER (for the win-x64 build,
    "/usr/lib/wine/wine64"), else nothing."""
    runner = os.environ.get("PTVSD_PROXY_RUNNER", "")
    return [runner] if runner else []


def wait_until(condition, what, timeout=WAIT, interval=0.02):
    """Polls `condition` until it returns a true value, which is returned; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_listening(port):
    """Linux's view of the port (LISTEN state), without connecting to whoever listens."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(wanted) and fields[3] == "0A":
                return True
    return False


def stop_process(process):
    """Asks `process` to end, then ends it if it has not within WAIT."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Proxy:
    """A running ptvsd-proxy on 127.0.0.1 with a free port; its stderr is collected. `binary`
    (default: $PTVSD_PROXY) lets bench/proxy_bench.py start the builds it compares."""

    def __init__(self, debugger_port, *extra, secret=SECRET, binary=None):
        """`secret` goes into the environment; None or "" leaves it out (a --config gives one)."""
        env = dict(os.environ)
        env.pop("HTTP_PLATFORM_PORT", None)
        env.pop("WSGI_PTVSD_SECRET", None)
        if secret:
            env["WSGI_PTVSD_SECRET"] = secret
        self.process = subprocess.Popen(
            [*proxy_runner(), binary or proxy_binary(), "--listen", "127.0.0.1:0", "--debugger", f"127.0.0.1:{debugger_port}",
             *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self._lines = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            match = wait_until(lambda: self._find(r"listening on 127\.0\.0\.1:(\d+)/ptvsd"),
                               "the proxy's 'listening on' line")
        except BaseException:
            self.stop()  # no caller holds a handle yet to end it by
            raise
        self.port = int(match.group(1))

    def _read(self):
        for raw in self.process.stderr:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace"))

    def _find(self, pattern):
        if self.process.poll() is not None:
            raise AssertionError(f"ptvsd-proxy exited with {self.process.returncode}:\n{self.log()}")
        return re.search(pattern, self.log())

    def log(self):
        with self._lock:
            return "".join(self._lines)

    def wait_for_log(self, pattern):
        return wait_until(lambda: self._find(pattern), f"/{pattern}/ in the proxy's log")

    def url(self, userinfo=""):
        return f"ws://{userinfo}127.0.0.1:{self.port}/ptvsd"

    def stop(self):
        stop_process(self.process)
        self._reader.join(timeout=WAIT)
        self.process.stdout.close()
        self.process.stderr.close()


class Debuggee:
    """/usr/bin/python3 -m debugpy --listen 127.0.0.1:PORT --wait-for-client on a small script."""

    SCRIPT = "import time\nprint('debuggee running', flush=True)\ntime.sleep(120)\n"

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="ptvsd-proxy-debuggee-")
        script = Path(self.folder.name) / "debuggee.py"
        script.write_text(self.SCRIPT)
        self.port = free_port()
        env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
        self.process = subprocess.Popen(
            [sys.executable, "-Xfrozen_modules=off", "-m", "debugpy", "--listen", f"127.0.0.1:{self.port}",
             "--wait-for-client", str(script)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)  # debugpy starts its adapter as a child: end the group together
        wait_until(lambda: self.process.poll() is not None or is_listening(self.port), "debugpy to listen")
        if self.process.poll() is not None:
            raise AssertionError(f"debugpy exited with {self.process.returncode}")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=WAIT)
        self.folder.cleanup()


class StandInDebugger:
    """A TCP server in place of debugpy: echoes what it gets, counts connections, and on the line
    b"CLOSE\\n" closes its side; on b"FLOOD\\n" it sends `flood_bytes` and reports progress; on
    b"SEND n\\n" it sends n bytes b"y" in one write."""

    def __init__(self, flood_bytes=0):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.flood_bytes = flood_bytes
        self.accepted = 0
        self.closed_by_peer = 0
        self.flood_sent = 0
        self.flood_done = threading.Event()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self):
        self.server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection):
        connection.settimeout(0.1)
        with connection:
            while not self._stop.is_set():
                try:
                    data = connection.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    data = b""
                if not data:
                    self.closed_by_peer += 1
                    return
                if data == b"CLOSE\n":
                    return
                if data == b"FLOOD\n":
                    self._flood(connection)
                    continue
                if re.fullmatch(rb"SEND \d+\n", data):
                    connection.sendall(b"y" * int(data[5:-1]))
                    continue
                connection.sendall(data)

    def _flood(self, connection):
        chunk = b"x" * 65536
        connection.settimeout(None)
        try:
            while self.flood_sent < self.flood_bytes and not self._stop.is_set():
                connection.sendall(chunk)
                self.flood_sent += len(chunk)
        except OSError:
            pass
        self.flood_done.set()

    def stop(self):
        self._stop.set()
        self.server.close()
        for thread in self._threads:
            thread.join(timeout=WAIT)


def basic(userinfo):
    return "Basic " + base64.b64encode(userinfo.encode()).decode()


def upgrade_request(path="/ptvsd", authorization=None, extra=""):
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: Upgrade", "Upgrade: websocket",
             "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
    if authorization is not None:
        lines.append(f"Authorization: {authorization}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def raw_exchange(port, data, timeout=WAIT):
    """Sends raw bytes, returns everything the proxy answers until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        received = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
            if received.startswith(b"HTTP/1.1 101 ") and b"\r\n\r\n" in received:
                break  # a bridged WebSocket stays open; its handshake answer is all there is to read
        return received


def client_frame(payload, opcode=2):
    """One final frame, masked as a client's must be."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        head += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class RawWebSocket:
    """A WebSocket client over a plain socket that shows the frames themselves (the websockets
    library reassembles fragmented messages and hides how a message was framed)."""

    def __init__(self, port, authorization, early=b""):
        """`early`: bytes sent in the same write as the upgrade request (frames, for instance)."""
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.buffer = b""
        try:
            self.socket.sendall(upgrade_request(authorization=authorization) + early)
            self.response = self._take_until(b"\r\n\r\n")
        except BaseException:
            self.socket.close()
            raise

    def _fill(self):
        chunk = self.socket.recv(65536)
        if not chunk:
            raise AssertionError("the proxy closed the connection")
        self.buffer += chunk

    def _take(self, size):
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _take_until(self, end):
        while end not in self.buffer:
            self._fill()
        return self._take(self.buffer.index(end) + len(end))

    def send(self, payload, opcode=2):
        self.socket.sendall(client_frame(payload, opcode))

    def frame(self):
        """The next frame as (fin, opcode, payload)."""
        first, second = self._take(2)
        if second & 0x80:
            raise AssertionError("a frame from the server is masked")
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", self._take(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", self._take(8))[0]
        return bool(first & 0x80), first & 0x0F, self._take(size)

    def close(self):
        """The closing handshake: a close frame each way, then the proxy closes the connection."""
        self.send(struct.pack("!H", 1000), opcode=8)
        while self.frame()[1] != 8:
            pass
        self.socket.close()


def status_of(response):
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", response)
    if not match:
        raise AssertionError(f"not an HTTP response: {response[:200]!r}")
    return int(match.group(1))


class Dap:
    """DAP over a WebSocket: each request is one binary message "Content-Length: N\\r\\n\\r\\n{json}";
    what comes back is reassembled from however the proxy chunked it."""

    def __init__(self, websocket):
        self.websocket = websocket
        self.seq = 0
        self.buffer = b""

    async def send(self, command, arguments=None):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command,
                           "arguments": arguments or {}}).encode()
        await self.websocket.send(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.seq

    async def receive(self):
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                header = self.buffer[:end].decode("ascii")
                length = int(re.search(r"Content-Length:\s*(\d+)", header, re.IGNORECASE).group(1))
                if len(self.buffer) >= end + 4 + length:
                    message = json.loads(self.buffer[end + 4:end + 4 + length])
                    self.buffer = self.buffer[end + 4 + length:]
                    return message
            data = await asyncio.wait_for(self.websocket.recv(), WAIT)
            assert isinstance(data, bytes), f"expected binary WebSocket messages, got {type(data)}"
            self.buffer += data

    async def until(self, predicate, what):
        seen = []
        for _ in range(200):
            message = await self.receive()
            if predicate(message):
                return message
            seen.append(message.get("command") or message.get("event"))
        raise AssertionError(f"no {what} among {seen}")
