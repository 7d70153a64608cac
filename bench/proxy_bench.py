#!/usr/bin/python3
"""ptvsd-proxy against a direct loopback TCP connection and against a small Python bridge.

    /usr/bin/python3 bench/proxy_bench.py [--proxy PATH] [--tool PATH] [--json FILE] [--quick]
                                          [--also NAME=PATH]

Paths to the same stand-in debug server (a separate Python process on 127.0.0.1):
  direct   the client speaks TCP to it;
  proxy    the client speaks WebSocket to ptvsd-proxy, which bridges to it;
  bridge   the same through the Python `websockets` bridge below (what one would write instead);
  relay    plain TCP through socat (when installed): what any extra hop costs, the proxy's floor;
  tunnel   plain TCP to `ptvsd-publish attach` (--tool), which carries it over ws:// to a
           ptvsd-proxy of its own: the whole path a debugger takes (skipped without --tool).
For each: bulk throughput in both directions (the stand-in sends or swallows a fixed byte count),
the round-trip time of small messages (the stand-in echoes), p50 and p99, and the round trip when
the answer comes in two writes 0.2 ms apart (a response then an event: Nagle's algorithm on a hop
holds the second write until the first is acknowledged, which a client may delay by up to 40 ms).
For direct and proxy also the time a fresh connection takes until the debug server's first bytes
arrive (a second stand-in greets every connection; the proxy's TCP connect to it happens between
the secret check and the 101 response, so this is the whole wait of an attach), and for the proxy
until its 101 response.

The client is a minimal RFC 6455 client on a blocking socket: frames are prebuilt (masked once),
so its per-message cost is small and the same for the proxy and the bridge. Only 127.0.0.1 is
used; every wait is bounded; every process started here is ended here, by its own handle.
Skips, with a message and exit status 0, when the proxy binary is missing.
"""

import argparse
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The proxy tests' harness already starts ptvsd-proxy and waits for ports, every wait bounded; the
# bench runs from the same checkout (bench/compare.sh), so it uses that harness, not a copy of it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "proxy"))
from proxy_harness import WAIT, Proxy, free_port, is_listening, stop_process, wait_until  # noqa: E402

HOST = "127.0.0.1"
CHUNK = 64 * 1024  # client -> server message size in bulk sends
MiB = 1024 * 1024


# ---- the stand-in debug server (run as a child: proxy_bench.py _debugger) ----------------------

# What a greeting stand-in (`_debugger greet`) sends as soon as a connection arrives: a small
# DAP-like message, so that a connect can be timed until the debug server's first bytes arrive.
GREETING = b'Content-Length: 40\r\n\r\n{"seq":1,"type":"event","event":"hello"}'


def debugger_main(greet=False):
    server = socket.create_server((HOST, 0))
    print(server.getsockname()[1], flush=True)
    block = memoryview(os.urandom(MiB))

    def serve(conn):
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            data = b""
            while b"\n" not in data:
                more = conn.recv(4096)
                if not more:
                    return
                data += more
            line, rest = data.split(b"\n", 1)
            command, _, argument = line.partition(b" ")
            if command in (b"ECHO", b"SPLIT"):
                # SPLIT answers each message in two writes 0.2 ms apart, as a debugger sends a
                # response and then an event: shows whether a hop holds the second write back (Nagle).
                split = command == b"SPLIT"
                if rest:
                    conn.sendall(rest)
                while True:
                    more = conn.recv(65536)
                    if not more:
                        return
                    if split:
                        half = len(more) // 2
                        conn.sendall(more[:half])
                        time.sleep(0.0002)
                        more = more[half:]
                    conn.sendall(more)
            elif command == b"SEND":
                left = int(argument)
                while left > 0:
                    n = min(left, len(block))
                    conn.sendall(block[:n])
                    left -= n
                conn.shutdown(socket.SHUT_WR)
                while conn.recv(65536):
                    pass
            elif command == b"RECV":
                left = int(argument) - len(rest)
                buffer = bytearray(MiB)
                while left > 0:
                    n = conn.recv_into(buffer)
                    if not n:
                        return
                    left -= n
                conn.sendall(b"OK\n")
                while conn.recv(65536):
                    pass

    def accept_loop():
        while True:
            conn, _ = server.accept()
            if greet:
                # Before the thread starts, so that starting a Python thread is not in the timing.
                conn.sendall(GREETING)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    sys.stdin.read()  # the parent closes stdin to stop us


# ---- the Python bridge for comparison (run as a child: proxy_bench.py _bridge PORT SECRET) -------

def bridge_main(debugger_port, secret):
    import websockets  # python3-websockets (Debian)

    expected = f"Bearer {secret}"

    async def check(path, headers):
        if headers.get("Authorization") != expected:
            return (401, [], b"unauthorized\n")
        return None

    async def handler(ws, path=None):
        reader, writer = await asyncio.open_connection(HOST, debugger_port)

        async def up():
            async for message in ws:
                writer.write(message)
                await writer.drain()

        async def down():
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                await ws.send(data)
            await ws.close()

        tasks = [asyncio.ensure_future(up()), asyncio.ensure_future(down())]
        _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        writer.close()

    async def run():
        async with websockets.serve(handler, HOST, 0, process_request=check, compression=None,
                                    max_size=MiB, ping_interval=None) as server:
            print(next(iter(server.sockets)).getsockname()[1], flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

    asyncio.run(run())


# ---- children ------------------------------------------------------------------------------------

class Child:
    """A helper process that prints its port on stdout (a line that is only the port, or the first
    match of `port_pattern`), or, given `port`, one that prints nothing and is ready when that port
    listens (socat); stopped by closing its stdin, then by its own handle."""

    def __init__(self, argv, port=None, port_pattern=r"^(\d+)\s*$", env=None):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env)
        self.lines = []
        self.lock = threading.Lock()
        self.port = port
        self.port_pattern = re.compile(port_pattern)
        self.readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                        for stream in (self.process.stdout, self.process.stderr)]
        for reader in self.readers:
            reader.start()
        try:
            wait_until(self._listening, f"{argv[0]} to listen")
        except BaseException:
            self.stop()
            raise

    def _read(self, stream):
        for raw in stream:
            text = raw.decode("utf-8", "replace")
            with self.lock:
                self.lines.append(text)
            if self.port is None and stream is self.process.stdout:
                match = self.port_pattern.search(text)
                if match:
                    self.port = int(match.group(1))

    def _listening(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.process.args[0]} exited with {self.process.returncode}:\n{self.log()}")
        return self.port is not None and is_listening(self.port)

    def log(self):
        with self.lock:
            return "".join(self.lines)

    def stop(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        stop_process(self.process)
        for reader in self.readers:
            reader.join(timeout=WAIT)


# ---- the client ------------------------------------------------------------------------------------

def masked_frame(payload, opcode=0x2):
    """One final client frame (RFC 6455 5.2), masked with a fixed random key."""
    key = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    repeated = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "little") ^ int.from_bytes(repeated, "little")).to_bytes(n, "little")
    return header + key + masked


class TcpClient:
    """Direct: the stand-in's byte stream as is."""

    def __init__(self, port):
        self.started_ns = time.perf_counter_ns()  # when this connection attempt began (connect_times)
        self.sock = socket.create_connection((HOST, port), timeout=WAIT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def frame(self, payload):
        return payload  # nothing to wrap

    def send(self, prebuilt):
        self.sock.sendall(prebuilt)

    def receive(self, count):
        """Reads exactly `count` payload bytes; returns the last chunk (for the OK check)."""
        buffer = bytearray(max(count, 1) if count < MiB else MiB)
        view = memoryview(buffer)
        got = 0
        last = b""
        while got < count:
            n = self.sock.recv_into(view[:min(len(view), count - got)] if count < MiB else view)
            if not n:
                raise RuntimeError("connection closed early")
            got += n
            if count < MiB:
                last = bytes(view[:n])
        return last

    def close(self):
        self.sock.close()

    def close_cleanly(self):
        self.close()  # a TCP close is the clean end of a plain connection


class WebSocketClient(TcpClient):
    """A WebSocket to /ptvsd with `Authorization: Bearer <secret>`; reads unmasked server frames."""

    def __init__(self, port, secret):
        deadline = time.monotonic() + WAIT
        while True:
            super().__init__(port)
            key = base64.b64encode(os.urandom(16)).decode()
            request = (f"GET /ptvsd HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
                       f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                       f"Authorization: Bearer {secret}\r\n\r\n")
            self.sock.sendall(request.encode())
            response = b""
            while b"\r\n\r\n" not in response:
                more = self.sock.recv(4096)
                if not more:
                    break
                response += more
            head, _, self.pending = response.partition(b"\r\n\r\n")
            if head.startswith(b"HTTP/1.1 101"):
                self.upgraded_ns = time.perf_counter_ns()
                break
            self.sock.close()
            # A session slot freed by the previous test may not be free yet: try again shortly.
            if time.monotonic() > deadline:
                raise RuntimeError(f"WebSocket handshake refused: {head[:200]!r}")
            time.sleep(0.05)
        self.buffer = bytearray(MiB)
        self.view = memoryview(self.buffer)
        self.remaining = 0  # payload bytes left in the current frame
        self.data_frame = False
        self.header = bytearray()

    def frame(self, payload):
        return masked_frame(payload)

    def close_cleanly(self):
        """The closing handshake (a close frame each way), then the server's end of the TCP
        connection: the proxy frees the session's place only then."""
        try:
            self.sock.sendall(masked_frame(struct.pack("!H", 1000), opcode=0x8))
            while self.sock.recv(65536):
                pass
        finally:
            self.close()

    def _chunk(self):
        if self.pending:
            data, self.pending = self.pending, b""
            return memoryview(data)
        n = self.sock.recv_into(self.view)
        if not n:
            raise RuntimeError("connection closed early")
        return self.view[:n]

    def receive(self, count):
        """Reads frames until `count` payload bytes of data frames have arrived."""
        got = 0
        last = b""
        while got < count:
            chunk = self._chunk()
            # Fast path for the small echo: exactly one whole unmasked binary frame.
            if (self.remaining == 0 and not self.header and len(chunk) >= 2 and chunk[0] == 0x82
                    and chunk[1] < 126 and len(chunk) == 2 + chunk[1]):
                got += chunk[1]
                last = bytes(chunk[2:])
                continue
            i, n = 0, len(chunk)
            while i < n:
                if got >= count and not self.remaining and not self.header:
                    self.pending = bytes(chunk[i:])  # the next message's, or a close frame
                    break
                if self.remaining:
                    take = min(self.remaining, n - i)
                    if self.data_frame:
                        got += take
                        if count < MiB:
                            last = bytes(chunk[i:i + take])
                    self.remaining -= take
                    i += take
                    continue
                self.header.append(chunk[i])
                i += 1
                if len(self.header) < 2:
                    continue
                length = self.header[1] & 0x7F
                need = 2 + (2 if length == 126 else 8 if length == 127 else 0)
                if len(self.header) < need:
                    continue
                if length == 126:
                    length = struct.unpack_from("!H", self.header, 2)[0]
                elif length == 127:
                    length = struct.unpack_from("!Q", self.header, 2)[0]
                opcode = self.header[0] & 0x0F
                if opcode == 0x8:
                    raise RuntimeError(f"server closed the WebSocket after {got} of {count} bytes")
                self.data_frame = opcode in (0x0, 0x1, 0x2)
                self.remaining = length
                self.header.clear()
        return last


# ---- measurements ------------------------------------------------------------------------------------

def throughput_down(connect, count):
    client = connect()
    try:
        client.send(client.frame(b"SEND %d\n" % count))
        start = time.perf_counter()
        client.receive(count)
        return count / MiB / (time.perf_counter() - start)
    finally:
        client.close()


def throughput_up(connect, count):
    client = connect()
    try:
        message = client.frame(os.urandom(CHUNK))
        client.send(client.frame(b"RECV %d\n" % count))
        start = time.perf_counter()
        for _ in range(count // CHUNK):
            client.send(message)
        if client.receive(3) != b"OK\n":
            raise RuntimeError("no OK from the stand-in")
        return count / MiB / (time.perf_counter() - start)
    finally:
        client.close()


def percentiles(samples):
    samples = sorted(samples)
    return {"p50": samples[len(samples) // 2], "p90": samples[int(len(samples) * 0.9)],
            "p99": samples[int(len(samples) * 0.99)], "n": len(samples)}


def round_trips(connect, count, size, mode=b"ECHO"):
    client = connect()
    try:
        client.send(client.frame(mode + b"\n"))
        message = client.frame(os.urandom(size))
        samples = []
        for i in range(count + count // 10):
            start = time.perf_counter_ns()
            client.send(message)
            client.receive(size)
            if i >= count // 10:  # the first tenth warms up
                samples.append((time.perf_counter_ns() - start) / 1000)
        return percentiles(samples)
    finally:
        client.close()


def connect_times(connect, count):
    """`count` fresh connections to a greeting stand-in, each timed from the start of its (last)
    connection attempt until the greeting has arrived, and for a WebSocket also until the 101
    response; each is closed cleanly before the next, as a debugger detaches. Microseconds."""
    first_bytes, upgrades = [], []
    for _ in range(count):
        client = connect()
        try:
            client.receive(len(GREETING))
            arrived = time.perf_counter_ns()
        finally:
            client.close_cleanly()
        first_bytes.append((arrived - client.started_ns) / 1000)
        if hasattr(client, "upgraded_ns"):
            upgrades.append((client.upgraded_ns - client.started_ns) / 1000)
    return {"first_byte": percentiles(first_bytes), "upgrade": percentiles(upgrades) if upgrades else None}


def sessions_open(proxy):
    """Bridged sessions the proxy has not closed yet, from its log (one line each way)."""
    log = proxy.log()
    return log.count("bridged to the debug server") - log.count(") closed after ")


def when_idle(proxy, connect):
    """`connect`, called once `proxy` has no session open. The proxy serves one debugger at a time
    (--max-sessions 1) and frees the place only when the previous session has ended, a moment after
    its client has gone; a client arriving in that moment gets 503 (the tunnel then closes the
    debugger's connection). The wait is outside every timing."""
    def connect_when_idle():
        wait_until(lambda: sessions_open(proxy) <= 0, "the proxy's previous session to end", interval=0.002)
        return connect()
    return connect_when_idle


def measure(paths, runs, trips, size, log, greeted=None, connects=0):
    """Measures every path once per round, the paths interleaved, so that a burst of other load on
    a shared machine hits them alike; a first round of each path is a discarded warm-up.
    `paths`: {name: (connect, bulk bytes)}; `greeted`: {name: connect to a greeting stand-in} for
    the paths whose connect is timed (`connects` times a round). Medians over the rounds."""
    greeted = greeted or {}
    samples = {name: {"down": [], "up": [], "latency": [], "split": [], "connect": []} for name in paths}
    for round_number in range(runs + 1):
        for name, (connect, bulk) in paths.items():
            down = throughput_down(connect, bulk)
            up = throughput_up(connect, bulk)
            latency = round_trips(connect, trips, size)
            split = round_trips(connect, max(trips // 10, 50), size, b"SPLIT")
            connected = connect_times(greeted[name], connects) if name in greeted else None
            if round_number == 0:
                continue
            samples[name]["split"].append(split)
            samples[name]["down"].append(down)
            samples[name]["up"].append(up)
            samples[name]["latency"].append(latency)
            if connected:
                samples[name]["connect"].append(connected)
    result = {}
    for name, (_, bulk) in paths.items():
        got = samples[name]
        entry = result[name] = {}
        for direction in ("down", "up"):
            rates = got[direction]
            entry[f"throughput_{direction}"] = statistics.median(rates)
            entry[f"throughput_{direction}_runs"] = rates
            log(f"  {name:6} {direction:4} {statistics.median(rates):8.0f} MiB/s  (runs: "
                + ", ".join(f"{r:.0f}" for r in rates) + f"; {bulk // MiB} MiB each)")
        entry["latency_us"] = {q: statistics.median(l[q] for l in got["latency"]) for q in ("p50", "p99")}
        entry["latency_us"]["n"] = sum(l["n"] for l in got["latency"])
        log(f"  {name:6} rtt  p50 {entry['latency_us']['p50']:6.1f} us  p99 {entry['latency_us']['p99']:6.1f} us"
            f"  ({runs} x {trips} round trips of {size} B)")
        entry["split_us"] = {q: statistics.median(l[q] for l in got["split"]) for q in ("p50", "p99")}
        log(f"  {name:6} rtt of an answer in two writes 0.2 ms apart: p50 {entry['split_us']['p50']:7.1f} us"
            f"  p99 {entry['split_us']['p99']:7.1f} us")
        for stage, text in (("first_byte", "connect until the debug server's first bytes"),
                            ("upgrade", "connect until the 101 response")):
            rounds = [c[stage] for c in got["connect"] if c[stage]]
            if not rounds:
                continue
            entry[f"connect_{stage}_us"] = {q: statistics.median(c[q] for c in rounds) for q in ("p50", "p90", "p99")}
            entry[f"connect_{stage}_us"]["n"] = sum(c["n"] for c in rounds)
            log(f"  {name:6} {text}: " + "  ".join(f"{q} {entry[f'connect_{stage}_us'][q]:7.1f} us"
                                                    for q in ("p50", "p90", "p99"))
                + f"  ({runs} x {connects} connections)")
    return result


def default_binary(name, variable):
    """$variable, else the build compare.sh makes, else the plain build's."""
    root = Path(__file__).resolve().parent.parent
    for candidate in (os.environ.get(variable, ""), root / "build-bench/ptvsd/bin" / name, root / "build/bin" / name):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    return str(root / "build/bin" / name)


def start_tunnel(tool, proxy, secret, folder):
    """`ptvsd-publish attach` on a free local port, to `proxy` over plain ws://, the secret in a
    file (it never goes on a command line); no HTTP proxy from the environment in between."""
    secret_file = Path(folder) / "secret"
    # Created 0600, never readable under the umask for a moment.
    with os.fdopen(os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(secret)
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    return Child([tool, "attach", "--url", proxy.url(), "--listen", f"{HOST}:0", "--secret-file", str(secret_file)],
                 port_pattern=r"listening on 127\.0\.0\.1:(\d+)", env=env)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "_debugger":
        return debugger_main(greet=sys.argv[2:] == ["greet"])
    if len(sys.argv) > 1 and sys.argv[1] == "_bridge":
        return bridge_main(int(sys.argv[2]), sys.argv[3])

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proxy", default=None, help="the ptvsd-proxy binary (default: build-bench/ptvsd/bin, "
                        "then build/bin, or $PTVSD_PROXY)")
    parser.add_argument("--tool", default=None, help="the ptvsd-publish binary, for the tunnel path (default: "
                        "build-bench/ptvsd/bin, then build/bin, or $PTVSD_PUBLISH; missing: no tunnel path)")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--quick", action="store_true", help="smaller transfers, fewer round trips")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=PATH",
                        help="another ptvsd-proxy build (a candidate fix) measured in the same rounds")
    options = parser.parse_args()
    proxy_path = options.proxy or default_binary("ptvsd-proxy", "PTVSD_PROXY")
    tool_path = options.tool or default_binary("ptvsd-publish", "PTVSD_PUBLISH")

    def log(text):
        print(text, file=sys.stderr, flush=True)

    def write(result):
        if options.json:
            Path(options.json).write_text(json.dumps(result, indent=1))

    if not os.access(proxy_path, os.X_OK):
        reason = f"{proxy_path} is missing (build the ptvsd-proxy target first)"
        log(f"proxy_bench: SKIPPED: {reason}")
        write({"skipped": reason})
        return 0

    bulk = 32 * MiB if options.quick else 256 * MiB
    bridge_bulk = 16 * MiB if options.quick else 64 * MiB
    runs = 1 if options.quick else 5
    trips = 500 if options.quick else 2000
    connects = 100 if options.quick else 200
    size = 100
    secret = secrets.token_urlsafe(32)
    me = [sys.executable, os.path.abspath(__file__)]
    children = []
    result = {"proxy_binary": proxy_path, "message_bytes": size, "greeting_bytes": len(GREETING)}
    folder = tempfile.TemporaryDirectory(prefix="ptvsd-proxy-bench-")
    try:
        debugger = Child(me + ["_debugger"])
        children.append(debugger)
        proxy = Proxy(debugger.port, secret=secret, binary=proxy_path)
        children.append(proxy)
        bridge = Child(me + ["_bridge", str(debugger.port), secret])
        children.append(bridge)
        paths = {
            "direct": (lambda: TcpClient(debugger.port), bulk),
            "proxy": (lambda: WebSocketClient(proxy.port, secret), bulk),
            "bridge": (lambda: WebSocketClient(bridge.port, secret), bridge_bulk),
        }
        for extra in options.also:
            name, _, path = extra.partition("=")
            other = Proxy(debugger.port, secret=secret, binary=path)
            children.append(other)
            paths[name] = (lambda port=other.port: WebSocketClient(port, secret), bulk)
        # The cost of any extra hop: socat relaying plain TCP (no WebSocket, no checks), in C.
        if shutil.which("socat"):
            port = free_port()
            relay = Child(["socat", "-b", "65536", f"TCP-LISTEN:{port},bind={HOST},reuseaddr,fork,nodelay",
                           f"TCP:{HOST}:{debugger.port},nodelay"], port=port)
            children.append(relay)
            paths["relay"] = (lambda: TcpClient(relay.port), bulk)
        else:
            log("proxy_bench: socat not installed: no TCP-relay floor (apt-get install socat)")
        # The tunnel gets a proxy of its own: the proxy serves one session at a time, and the
        # tunnel turns a 503 into a closed connection rather than a retry.
        if os.access(tool_path, os.X_OK):
            tunnel_proxy = Proxy(debugger.port, secret=secret, binary=proxy_path)
            children.append(tunnel_proxy)
            tunnel = start_tunnel(tool_path, tunnel_proxy, secret, folder.name)
            children.append(tunnel)
            paths["tunnel"] = (when_idle(tunnel_proxy, lambda: TcpClient(tunnel.port)), bulk)
            result["tool_binary"] = tool_path
        else:
            log(f"proxy_bench: {tool_path} is missing: no tunnel path (--tool)")
        # Connects are timed against a stand-in that greets, behind a proxy of its own.
        greeter = Child(me + ["_debugger", "greet"])
        children.append(greeter)
        greeter_proxy = Proxy(greeter.port, secret=secret, binary=proxy_path)
        children.append(greeter_proxy)
        greeted = {
            "direct": lambda: TcpClient(greeter.port),
            "proxy": when_idle(greeter_proxy, lambda: WebSocketClient(greeter_proxy.port, secret)),
        }
        log(f"proxy_bench: {proxy_path}; stand-in debugger :{debugger.port}, proxy :{proxy.port}, "
            f"bridge :{bridge.port}")
        result.update(measure(paths, runs, trips, size, log, greeted, connects))
    finally:
        time.sleep(0.3)  # lets socat reap its last per-connection child before it is stopped
        for child in reversed(children):
            child.stop()
        folder.cleanup()
    write(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
