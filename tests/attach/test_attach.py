"""`ptvsd-publish attach` end to end, on loopback only: Microsoft's DAP client (as VS Code connects,
by TCP) -> the tunnel -> nginx with TLS (a certificate made here, trusted through --ca-file) ->
ptvsd-proxy -> debugpy in a WSGI app under waitress. Every wait is bounded (proxy_harness.WAIT)."""

import json
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "proxy"))
from proxy_harness import SECRET, WAIT, Proxy, free_port, is_listening, stop_process, wait_until  # noqa: E402

TOOL = os.environ.get("PTVSD_PUBLISH", "")
CLIENT = HERE / "dap_client"
DAP_SETUP = "run .ci/install-dap-client.sh (npm installs the DAP client into tests/attach/dap_client)"
CONFIG = ('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n'
          '    <add key="WSGI_PTVSD_SECRET" value="{}" />\n  </appSettings>\n</configuration>\n')


def breakpoint_line():
    lines = (HERE / "app" / "app.py").read_text().splitlines()
    return next(i for i, text in enumerate(lines, 1) if "# BREAK" in text)


class Tunnel:
    """A running `ptvsd-publish attach`; stdout and stderr are collected line by line."""

    def __init__(self, *args, cwd=None, env=None):
        self.process = subprocess.Popen([TOOL, "attach", "--listen", "127.0.0.1:0", *args], cwd=cwd,
                                        env=env or dict(os.environ), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stdout, self.stderr = [], []
        self._threads = [threading.Thread(target=self._read, args=(s, out), daemon=True)
                         for s, out in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))]
        for thread in self._threads:
            thread.start()

    def _read(self, stream, out):
        for line in stream:
            out.append(line)

    def text(self):
        return "".join(self.stdout) + "".join(self.stderr)

    def port(self):
        match = wait_until(lambda: re.search(r"listening on 127\.0\.0\.1:(\d+)", "".join(self.stdout))
                           or self.process.poll() is not None, "the tunnel's 'listening on' line")
        if self.process.poll() is not None:
            raise AssertionError(f"attach exited with {self.process.returncode}:\n{self.text()}")
        return int(match.group(1))

    def wait_for(self, pattern):
        return wait_until(lambda: re.search(pattern, "".join(self.stderr)), f"/{pattern}/ on the tunnel's stderr")

    def finish(self):
        """Waits for the tunnel to end by itself; returns its exit code."""
        code = self.process.wait(timeout=WAIT)
        self._close()
        return code

    def stop(self):
        stop_process(self.process)
        self._close()

    def _close(self):
        for thread in self._threads:
            thread.join(timeout=WAIT)
        for stream in (self.process.stdout, self.process.stderr):
            if not stream.closed:
                stream.close()


class ConnectProxy(socketserver.ThreadingTCPServer):
    """A tiny HTTP proxy for HTTPS_PROXY: answers CONNECT host:port with 200 and relays bytes."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.requests = []
        super().__init__(("127.0.0.1", 0), ConnectHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class ConnectHandler(socketserver.BaseRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        request_line = head.split(b"\r\n")[0].decode()
        self.server.requests.append(request_line)
        method, authority, _ = request_line.split(" ")
        host, port = authority.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=WAIT)
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        upstream.settimeout(None)

        def pump(source, target):
            try:
                while data := source.recv(65536):
                    target.sendall(data)
            except OSError:
                pass
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        other = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
        other.start()
        pump(self.request, upstream)
        other.join(timeout=WAIT)
        upstream.close()


class AttachEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not TOOL or not os.access(TOOL, os.X_OK):
            raise RuntimeError("PTVSD_PUBLISH must name the built ptvsd-publish")
        if not (CLIENT / "node_modules" / "@vscode" / "debugadapter-testsupport").is_dir():
            raise RuntimeError("the DAP client is not installed: " + DAP_SETUP)
        cls.tmp = tempfile.TemporaryDirectory(prefix="ptvsd-attach-")
        root = Path(cls.tmp.name)
        # The "site" runs the app from one folder; the "developer" has the same file elsewhere, so
        # the breakpoint only binds through pathMappings.
        cls.remote_root, cls.local_root = root / "site" / "wwwroot", root / "project"
        for folder in (cls.remote_root, cls.local_root):
            folder.mkdir(parents=True)
            shutil.copy(HERE / "app" / "app.py", folder / "app.py")
        (cls.local_root / "web.debug.config").write_text(CONFIG.format(SECRET))
        cls.processes = []
        try:
            cls._start_site(root)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _start_site(cls, root):
        cls.debugpy_port, cls.app_port = free_port(), free_port()
        env = dict(os.environ, ATTACH_TEST_DEBUGPY_PORT=str(cls.debugpy_port), PYDEVD_DISABLE_FILE_VALIDATION="1")
        cls.app_log = open(root / "waitress.log", "w+")
        cls.app = subprocess.Popen(["/usr/bin/python3", "-Xfrozen_modules=off", "-m", "waitress", "--threads=4",
                                    f"--listen=127.0.0.1:{cls.app_port}", "app:application"],
                                   cwd=cls.remote_root, env=env, stdin=subprocess.DEVNULL,
                                   stdout=cls.app_log, stderr=subprocess.STDOUT)
        cls.processes.append(cls.app)
        wait_until(lambda: is_listening(cls.debugpy_port) and is_listening(cls.app_port), "waitress and debugpy")
        cls.proxy = Proxy(cls.debugpy_port)
        # A certificate for localhost and 127.0.0.1, made for this run only.
        cls.cert, key = root / "cert.pem", root / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cls.cert)],
                       check=True, capture_output=True, timeout=WAIT)
        cls.other_cert, other_key = root / "other.pem", root / "other-key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=other.invalid",
                        "-addext", "subjectAltName=DNS:other.invalid", "-keyout", str(other_key), "-out", str(cls.other_cert)],
                       check=True, capture_output=True, timeout=WAIT)
        cls.nginx_port, cls.other_name_port, nowhere = free_port(), free_port(), free_port()
        nginx = root / "nginx"
        nginx.mkdir()
        # /ptvsd as a front forwards a WebSocket upgrade to the proxy (as IIS's does).
        ptvsd = (f"    location /ptvsd {{ proxy_pass http://127.0.0.1:{cls.proxy.port}; proxy_http_version 1.1;\n"
                 "      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection upgrade;\n"
                 "      proxy_read_timeout 600s; }")
        (nginx / "nginx.conf").write_text(f"""
pid {nginx}/nginx.pid;
error_log {nginx}/error.log info;
daemon off;
events {{ worker_connections 64; }}
http {{
  access_log {nginx}/access.log;
  client_body_temp_path {nginx}/body; proxy_temp_path {nginx}/proxy; fastcgi_temp_path {nginx}/fastcgi;
  uwsgi_temp_path {nginx}/uwsgi; scgi_temp_path {nginx}/scgi;
  server {{
    listen 127.0.0.1:{cls.nginx_port} ssl;
    ssl_certificate {cls.cert}; ssl_certificate_key {key};
{ptvsd}
    location /ptvsd-stopped {{ proxy_pass http://127.0.0.1:{nowhere}; }}
  }}
  server {{
    listen 127.0.0.1:{cls.other_name_port} ssl;
    ssl_certificate {cls.other_cert}; ssl_certificate_key {other_key};
{ptvsd}
  }}
}}
""")
        cls.nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", str(nginx), "-c", str(nginx / "nginx.conf"),
                                      "-e", str(nginx / "error.log")],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        cls.processes.append(cls.nginx)
        wait_until(lambda: (is_listening(cls.nginx_port) and is_listening(cls.other_name_port))
                   or cls.nginx.poll() is not None, "nginx")
        if cls.nginx.poll() is not None:
            raise AssertionError("nginx did not start: " + cls.nginx.stderr.read().decode())
        cls.url = f"wss://localhost:{cls.nginx_port}/ptvsd"

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "proxy", None):
            cls.proxy.stop()
        for process in reversed(cls.processes):
            stop_process(process)
        if getattr(cls, "nginx", None):
            cls.nginx.stderr.close()
        if getattr(cls, "app_log", None):
            cls.app_log.close()
        cls.tmp.cleanup()

    def tunnel(self, *args, env=None):
        tunnel = Tunnel(*args, cwd=self.local_root, env=env)
        self.addCleanup(tunnel.stop)
        return tunnel

    def trusted_tunnel(self, *extra, env=None):
        return self.tunnel("--url", self.url, "--ca-file", str(self.cert), "--local-root", str(self.local_root),
                           "--remote-root", str(self.remote_root), *extra, env=env)

    def session(self, port, mode):
        """Starts the DAP client; returns it once its breakpoint is set."""
        client = self.debugger(port, mode)
        self.assertEqual(self.next_event(client)["event"], "ready")
        return client

    def reattach(self, port, mode):
        """A session after a debugger died without a DAP disconnect. debugpy ends the old session
        when the proxy closes its connection, and resumes the app before it lets go of it: an
        attach in between gets "already being debugged". As a user does, attach again (README)."""
        self.wait_for_sessions_closed()  # the proxy's slot is free: no 503
        deadline = time.monotonic() + WAIT
        while True:
            client = self.debugger(port, mode)
            event = self.next_event(client)
            if event["event"] == "ready":
                return client
            self.assertEqual(event["event"], "error", event)
            self.assertIn("already being debugged", event["message"])
            self.assertLess(time.monotonic(), deadline, "debugpy never let go of the dropped session")
            time.sleep(0.2)

    def debugger(self, port, mode):
        client = subprocess.Popen(["node", str(CLIENT / "session.js"), str(port), str(self.local_root / "app.py"),
                                   str(breakpoint_line()), str(self.local_root), str(self.remote_root), mode],
                                  cwd=CLIENT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.addCleanup(stop_process, client)
        self.addCleanup(client.stderr.close)
        self.addCleanup(client.stdout.close)
        return client

    def next_event(self, client):
        line = client.stdout.readline()
        if not line:
            client.wait(timeout=WAIT)
            self.fail(f"the DAP client ended ({client.returncode}): {client.stderr.read()}")
        return json.loads(line)

    def request(self, name):
        """The HTTP request, in a thread (it blocks at the breakpoint); returns a callable for the body."""
        result = {}

        def get():
            with urllib.request.urlopen(f"http://127.0.0.1:{self.app_port}/?{name}", timeout=3 * WAIT) as response:
                result["body"] = response.read().decode()

        thread = threading.Thread(target=get, daemon=True)
        thread.start()

        def body():
            thread.join(timeout=3 * WAIT)
            self.assertFalse(thread.is_alive(), "the HTTP request did not complete")
            return result.get("body")

        return body

    def bridged_sessions(self):
        return len(re.findall(r"bridged to the debug server", self.proxy.log()))

    def wait_for_sessions_closed(self):
        """Until the proxy has closed every session it bridged, so its one slot is free."""
        wait_until(lambda: len(re.findall(r"session \d+ \([^)]*\) closed after", self.proxy.log()))
                   == self.bridged_sessions(), "the proxy to close its sessions")

    def test_breakpoint_round_trip_then_drop_while_paused_and_reattach(self):
        tunnel = self.trusted_tunnel()
        port = tunnel.port()
        client = self.session(port, "roundtrip")
        body = self.request("ada")
        stopped = self.next_event(client)
        self.assertEqual(stopped["event"], "stopped", stopped)
        self.assertEqual(stopped["reason"], "breakpoint")
        self.assertEqual(stopped["line"], breakpoint_line())
        self.assertEqual(Path(stopped["path"]), self.local_root / "app.py")  # mapped back to the local file
        self.assertEqual(stopped["name"], "application")
        inspected = self.next_event(client)
        self.assertEqual((inspected["name"], inspected["evaluated"]), ("'ada'", "'ADA!'"))
        self.assertEqual(self.next_event(client)["event"], "done")
        self.assertEqual(body(), "hello ada")

        # The debugger dies while the request is paused: the app resumes and answers.
        client = self.session(port, "drop")
        body = self.request("bob")
        self.assertEqual(self.next_event(client)["event"], "stopped")
        self.assertEqual(client.wait(timeout=WAIT), 0)
        self.assertEqual(body(), "hello bob")

        # And a debugger attaches again through the same tunnel.
        client = self.reattach(port, "roundtrip")
        body = self.request("cy")
        self.assertEqual(self.next_event(client)["line"], breakpoint_line())
        self.assertEqual(self.next_event(client)["evaluated"], "'CY!'")
        self.assertEqual(self.next_event(client)["event"], "done")
        self.assertEqual(body(), "hello cy")
        tunnel.wait_for(r"connection 3 closed")

        # The secret came from web.debug.config and went nowhere else.
        cmdline = Path(f"/proc/{tunnel.process.pid}/cmdline").read_bytes()
        self.assertNotIn(SECRET.encode(), cmdline)
        tunnel.process.send_signal(signal.SIGINT)
        self.assertEqual(tunnel.finish(), 0)
        self.assertNotIn(SECRET, tunnel.text())
        self.assertIn('"type": "debugpy"', "".join(tunnel.stdout))
        self.assertIn("tcp://127.0.0.1:", "".join(tunnel.stdout))

    def test_a_second_debugger_at_once_is_refused_with_the_reason_and_the_first_goes_on(self):
        tunnel = self.trusted_tunnel()
        port = tunnel.port()
        first = self.session(port, "roundtrip")
        before = self.bridged_sessions()
        # A second debugger through the same tunnel, as a second VS Code window attaching to the
        # same port: its connection is closed cleanly, and the tunnel says why.
        self.refused(tunnel)
        tunnel.wait_for(r"ptvsd-publish: error PTVSD077: wss://localhost:\d+/ptvsd answered 503: .*debugger attached "
                        r"already.*Another debugger is attached to this site, and debugpy serves one at a time")
        self.assertEqual(self.bridged_sessions(), before)  # nothing reached debugpy
        self.assertIsNone(tunnel.process.poll())  # still listening
        # The first debugger never noticed.
        body = self.request("eve")
        self.assertEqual(self.next_event(first)["line"], breakpoint_line())
        self.assertEqual(self.next_event(first)["evaluated"], "'EVE!'")
        self.assertEqual(self.next_event(first)["event"], "done")
        self.assertEqual(body(), "hello eve")
        self.wait_for_sessions_closed()  # the next test's debugger finds the slot free
        self.assertNotIn(SECRET, tunnel.text())

    def refused(self, tunnel):
        """Connects as a debugger and sends an initialize request: the tunnel must close the socket."""
        with socket.create_connection(("127.0.0.1", tunnel.port()), timeout=WAIT) as debugger:
            message = json.dumps({"seq": 1, "type": "request", "command": "initialize", "arguments": {}})
            debugger.sendall(f"Content-Length: {len(message)}\r\n\r\n{message}".encode())
            self.assertEqual(debugger.recv(1), b"")  # closed, not left hanging

    def test_wrong_secret_ends_the_tunnel_and_reaches_no_debugger(self):
        wrong = Path(self.tmp.name) / "wrong-secret"
        wrong.write_text("x" * 43 + "\n")
        before = self.bridged_sessions()
        tunnel = self.trusted_tunnel("--secret-file", str(wrong))
        self.refused(tunnel)
        self.assertEqual(tunnel.finish(), 6)
        self.assertRegex("".join(tunnel.stderr), r"ptvsd-publish: error PTVSD074: .*answered 401")
        self.assertNotIn("x" * 43, tunnel.text())
        self.assertEqual(self.bridged_sessions(), before)

    def test_untrusted_certificate_ends_the_tunnel(self):
        before = self.bridged_sessions()
        tunnel = self.tunnel("--url", self.url)  # no --ca-file: the test certificate is self-signed
        self.refused(tunnel)
        self.assertEqual(tunnel.finish(), 6)
        self.assertRegex("".join(tunnel.stderr), r"error PTVSD072: the certificate of localhost:\d+ is not trusted"
                                                 r" \(self[- ]signed certificate\).*--ca-file")
        self.assertEqual(self.bridged_sessions(), before)

    def test_certificate_for_another_name_ends_the_tunnel(self):
        # A certificate the tunnel trusts (--ca-file), but made for another host name.
        tunnel = self.tunnel("--url", f"wss://localhost:{self.other_name_port}/ptvsd", "--ca-file", str(self.other_cert))
        self.refused(tunnel)
        self.assertEqual(tunnel.finish(), 6)
        self.assertRegex("".join(tunnel.stderr), r"error PTVSD072: the certificate of localhost:\d+ is for another "
                                                 r"host name")

    def test_stopped_site_is_reported_and_the_tunnel_keeps_listening(self):
        # The front answers, but nothing runs behind /ptvsd-stopped: nginx says 502, as for a
        # stopped proxy.
        tunnel = self.tunnel("--url", f"wss://localhost:{self.nginx_port}/ptvsd-stopped", "--ca-file", str(self.cert))
        self.refused(tunnel)
        tunnel.wait_for(r"ptvsd-publish: error PTVSD077: wss://localhost:\d+/ptvsd-stopped answered 502: .*debugpy")
        self.assertIsNone(tunnel.process.poll())  # still listening
        self.refused(tunnel)
        # The line is read from the tunnel's stderr by a thread: wait for it, then count exactly.
        tunnel.wait_for(r"PTVSD077[^\n]*\n(.|\n)*PTVSD077")
        self.assertEqual(len(re.findall("PTVSD077", "".join(tunnel.stderr))), 2)

    def test_through_an_https_proxy(self):
        proxy = ConnectProxy()
        self.addCleanup(proxy.server_close)
        self.addCleanup(proxy.shutdown)
        env = dict(os.environ, HTTPS_PROXY=f"http://127.0.0.1:{proxy.server_address[1]}", NO_PROXY="")
        tunnel = self.trusted_tunnel(env=env)
        client = self.session(tunnel.port(), "roundtrip")
        body = self.request("dee")
        self.assertEqual(self.next_event(client)["event"], "stopped")
        self.assertEqual(self.next_event(client)["evaluated"], "'DEE!'")
        self.assertEqual(self.next_event(client)["event"], "done")
        self.assertEqual(body(), "hello dee")
        self.assertEqual(proxy.requests, [f"CONNECT localhost:{self.nginx_port} HTTP/1.1"])


if __name__ == "__main__":
    unittest.main()
