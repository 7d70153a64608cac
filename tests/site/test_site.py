"""ptvsd_site (python/ptvsd_site.py) in the example app under real WSGI servers and the real debugpy.

Run with Debian's python3 (python3-debugpy, gunicorn, python3-waitress), from this folder:
  /usr/bin/python3 -m unittest -v test_site
Every server listens on 127.0.0.1 with free ports; every wait is bounded (proxy_harness.WAIT).
Each test gets its own temp folder as TMPDIR, so the lock file of one test (or of another checkout
running the same tests) is not another's.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "proxy"))
from proxy_harness import WAIT, free_port, is_listening, wait_until  # noqa: E402

APP = ROOT / "examples" / "webapp" / "app.py"
SECRET_SETTING = "WSGI_PTVSD_SECRET"
SECRET = "h1J8wzVq3cS0nR5xT2yU7kL9mP4aB6dE_fG-oQ1rW3s"
BODY = b"Hello from a Python site that can be debugged remotely.\n"
LISTENS = re.compile(r"remote debugging on: debugpy listens on 127\.0\.0\.1:(\d+) in process (\d+)")
DOES_NOT = re.compile(r"remote debugging: process (\d+) does not listen: (.*)")
RECYCLED = re.compile(r"\[(\d+)\] \[INFO\] Autorestarting worker after current request")


def listeners(port):
    """The ids of the processes holding a socket that listens on 127.0.0.1:`port`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":
            inodes.add(f"socket:[{fields[9]}]")
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    found.add(int(proc.name))
                    break
        except OSError:
            continue  # gone, or not ours to read
    return found


class DapClient:
    """DAP over TCP, as VS Code's "connect" attach speaks to debugpy."""

    def __init__(self, port):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.buffer = b""
        self.seq = 0

    def send(self, command, arguments=None):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command,
                           "arguments": arguments or {}}).encode()
        self.socket.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.seq

    def receive(self):
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = int(re.search(rb"Content-Length:\s*(\d+)", self.buffer[:end], re.I).group(1))
                if len(self.buffer) >= end + 4 + length:
                    message = json.loads(self.buffer[end + 4:end + 4 + length])
                    self.buffer = self.buffer[end + 4 + length:]
                    return message
            data = self.socket.recv(65536)
            if not data:
                raise AssertionError("debugpy closed the connection")
            self.buffer += data

    def until(self, predicate, what):
        seen = []
        for _ in range(500):
            message = self.receive()
            if predicate(message):
                return message
            seen.append(message.get("command") or message.get("event"))
            # A debugger ends the session here. A client that waited on would keep the ended
            # process's adapter on the port past the 10 s its successor waits for it.
            if message.get("event") == "terminated":
                raise AssertionError(f"the debuggee ended before the {what}: {seen}")
        raise AssertionError(f"no {what} among {seen}")

    def attach(self, breakpoint_line=None):
        """initialize, attach (with a breakpoint in app.py), configurationDone; returns the
        debuggee's process id from debugpy's `process` event."""
        self.send("initialize", {"adapterID": "debugpy", "clientID": "ptvsd-site-test",
                                 "linesStartAt1": True, "columnsStartAt1": True})
        self.until(lambda m: m.get("command") == "initialize", "initialize response")
        attach = self.send("attach", {"justMyCode": False})
        self.until(lambda m: m.get("event") == "initialized", "initialized event")
        if breakpoint_line is not None:
            self.send("setBreakpoints", {"source": {"path": str(APP)}, "breakpoints": [{"line": breakpoint_line}]})
        self.send("configurationDone")
        attached = self.until(lambda m: m.get("request_seq") == attach, "attach response")
        if not attached["success"]:
            raise AssertionError(attached)
        return self.until(lambda m: m.get("event") == "process", "process event")["body"]["systemProcessId"]

    def close(self):
        self.socket.close()


def line_of(text, path=APP):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def get(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=WAIT) as response:
        return response.status, response.read()


class Server:
    """A WSGI server on the example app, its own session (debugpy's adapter daemonizes out of it),
    its stderr collected. With `site`, another process of that server's site: its temp folder
    (so its lock file) and debug port, and a port of its own."""

    def __init__(self, test, command, secret=SECRET, debug_port=None, first_on_path=(), site=None):
        self.site = site
        if site:
            self.folder, self.debug_port = site.folder, site.debug_port
        else:
            self.folder = tempfile.TemporaryDirectory(prefix="ptvsd-site-")
            test.addCleanup(self.folder.cleanup)
            self.debug_port = debug_port or free_port()
        self.port = free_port()
        env = dict(os.environ, TMPDIR=self.folder.name, WSGI_PTVSD_PORT=str(self.debug_port),
                   PYDEVD_DISABLE_FILE_VALIDATION="1",
                   PYTHONPATH=os.pathsep.join([*first_on_path, str(ROOT / "python"), str(APP.parent)]))
        env.pop(SECRET_SETTING, None)
        if secret:
            env[SECRET_SETTING] = secret
        self.process = subprocess.Popen([arg.format(port=self.port) for arg in command], cwd=self.folder.name,
                                        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        self._lines = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        test.addCleanup(self.stop)
        wait_until(lambda: self._alive() and is_listening(self.port), "the server to listen")

    def _read(self):
        for raw in self.process.stderr:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace"))

    def _alive(self):
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log()}")
        return True

    def log(self):
        with self._lock:
            return "".join(self._lines)

    def lock_holder(self):
        try:
            return (Path(self.folder.name) / f"ptvsd-site-{self.debug_port}.lock").read_text()
        except OSError:
            return None

    def listening_pids(self):
        return [int(m.group(2)) for m in LISTENS.finditer(self.log())]

    def recycled_pids(self):
        """gunicorn workers told to restart (--max-requests): such a worker stays the master's child
        while debugpy shuts down at its exit (about a second), holding the lock and the port."""
        return {int(m.group(1)) for m in RECYCLED.finditer(self.log())}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:
            if not self.site:  # stopped last (cleanups run last first), after the site's others
                self._end_adapter()
        finally:
            self._reader.join(timeout=WAIT)
            self.process.stderr.close()

    def _end_adapter(self):
        """debugpy's adapter left the server's session; it ends when its debuggee has, so it is
        waited for, and ended by its own id if it has not."""
        try:
            wait_until(lambda: not (listeners(self.debug_port) - {os.getpid()}), "debugpy's adapter to end")
        finally:
            for pid in listeners(self.debug_port) - {os.getpid()}:
                os.kill(pid, signal.SIGKILL)


GUNICORN = ["/usr/bin/gunicorn", "--bind", "127.0.0.1:{port}", "--graceful-timeout", "5"]
WAITRESS = ["/usr/bin/python3", "-m", "waitress", "--listen=127.0.0.1:{port}", "--threads=2"]
FASTCGI_MAX_REQUESTS = 3
FASTCGI = ["/usr/bin/python3", str(HERE / "fastcgi_double.py"), "{port}", str(FASTCGI_MAX_REQUESTS)]


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


class SiteTest(unittest.TestCase):
    def assertRequestStopsAtTheBreakpoint(self, client, port):
        """A request to `port` stops at the attached client's breakpoint, and completes once continued."""
        answers = []
        request = threading.Thread(target=lambda: answers.append(get(port)), daemon=True)
        request.start()
        stopped = client.until(lambda m: m.get("event") == "stopped", "stopped at the breakpoint")
        self.assertEqual(stopped["body"]["reason"], "breakpoint")
        client.send("continue", {"threadId": stopped["body"]["threadId"]})
        request.join(WAIT)
        self.assertEqual(answers, [(200, BODY)])

    def assertServes(self, server, times=6):
        for _ in range(times):
            self.assertEqual(get(server.port), (200, BODY))

    def assertOneDebuggee(self, server, candidates):
        """Exactly one process listens on the debug port, and the debugger that attaches there
        debugs one of `candidates`, the one that said so in the log; returns its id."""
        self.assertEqual(len(listeners(server.debug_port)), 1, server.log())
        client = DapClient(server.debug_port)
        try:
            debuggee = client.attach()
        finally:
            client.close()
        self.assertIn(debuggee, candidates, server.log())
        self.assertEqual(server.listening_pids()[-1], debuggee, server.log())
        return debuggee

    def wait_for_workers(self, server, count):
        return wait_until(lambda: len(worker_pids(server.process.pid)) == count and worker_pids(server.process.pid),
                          f"{count} workers")

    def serving_listener(self, server):
        """The worker that said last it listens, if it is a worker still serving, else None."""
        listening = server.listening_pids()[-1:]
        serving = worker_pids(server.process.pid) - server.recycled_pids()
        return listening[0] if listening and listening[0] in serving else None


class GunicornTest(SiteTest):
    def test_two_workers_one_listens_the_other_serves_and_says_why(self):
        server = Server(self, GUNICORN + ["--workers", "2", "app:wsgi_app"])
        workers = self.wait_for_workers(server, 2)
        wait_until(lambda: LISTENS.search(server.log()) and DOES_NOT.search(server.log()), "both workers' lines")
        self.assertServes(server)
        listener = self.assertOneDebuggee(server, workers)
        other = int(DOES_NOT.search(server.log()).group(1))
        self.assertEqual({listener, other}, workers)
        self.assertIn(f"process {listener} of this site listens on 127.0.0.1:{server.debug_port}", server.log())
        self.assertEqual(len(server.listening_pids()), 1, server.log())
        self.assertNotIn(SECRET, server.log())

    def test_worker_killed_while_paused_at_a_breakpoint_is_replaced_by_one_that_listens(self):
        # What made gunicorn shut a site down with a bare debugpy.listen(): the replacement found
        # the port still held by the dead worker's adapter (its debugger still attached), raised at
        # import, failed to boot, and gunicorn stopped.
        server = Server(self, GUNICORN + ["--workers", "1", "app:wsgi_app"])
        (first,) = self.wait_for_workers(server, 1)
        wait_until(lambda: server.listening_pids(), "the worker to listen")
        client = DapClient(server.debug_port)
        try:
            self.assertEqual(client.attach(breakpoint_line=line_of("greeting = ")), first)
            request = threading.Thread(target=lambda: self.assertRaises(Exception, get, server.port), daemon=True)
            request.start()
            client.until(lambda m: m.get("event") == "stopped", "stopped at the breakpoint")
            os.kill(first, signal.SIGKILL)
            request.join(WAIT)
            (second,) = wait_until(lambda: server._alive() and (worker_pids(server.process.pid) - {first}) or None,
                                   "a new worker")
            # The debugger stays attached until the new worker has found the port taken (it names
            # itself in the lock file, then waits for the port), as a debugger showing the paused
            # request would.
            wait_until(lambda: server._alive() and server.lock_holder() == str(second), "the new worker to wait")
            self.assertEqual(len(listeners(server.debug_port)), 1)
            client.until(lambda m: m.get("event") == "terminated", "terminated event")
        finally:
            client.close()  # as a debugger does when its debuggee is gone
        wait_until(lambda: second in server.listening_pids(), "the new worker to listen")
        self.assertServes(server)
        self.assertOneDebuggee(server, {second})

    def test_workers_restarted_by_max_requests_keep_one_listener(self):
        server = Server(self, GUNICORN + ["--workers", "2", "--max-requests", "3", "app:wsgi_app"])
        self.wait_for_workers(server, 2)
        self.assertServes(server, times=24)  # every worker is replaced several times over
        self.assertGreater(server.log().count("Booting worker"), 4, server.log())
        # Then requests until the listener itself is recycled, so that the test ends in the moment
        # that once failed it (the test attached to the exiting listener, counted as live): the
        # exiting listener holds the lock for a moment; then a worker still serving takes over
        # (its replacement at import, or another worker from the thread that waits for the lock).
        first = wait_until(lambda: self.serving_listener(server), "a serving worker to listen")
        for _ in range(60):
            if first in server.recycled_pids():
                break
            self.assertServes(server, times=1)
        self.assertIn(first, server.recycled_pids(), server.log())
        second = wait_until(lambda: self.serving_listener(server), "the listener's successor to listen")
        self.assertNotEqual(second, first)
        self.assertOneDebuggee(server, {second})
        self.assertEqual(server.lock_holder(), str(second))
        self.assertNotIn("Traceback", server.log())

    def test_preload_says_the_workers_are_not_debugged(self):
        server = Server(self, GUNICORN + ["--workers", "2", "--preload", "app:wsgi_app"])
        workers = self.wait_for_workers(server, 2)
        self.assertServes(server)
        for worker in workers:
            wait_until(lambda: f"process {worker} does not stop at breakpoints: it was forked from process "
                               f"{server.process.pid}, where debugpy listens" in server.log(), "the worker's line")
        self.assertOneDebuggee(server, {server.process.pid})

    def test_no_secret_nothing_listens(self):
        server = Server(self, GUNICORN + ["--workers", "2", "app:wsgi_app"], secret=None)
        self.wait_for_workers(server, 2)
        self.assertServes(server)
        self.assertEqual(listeners(server.debug_port), set())
        self.assertNotIn("remote debugging", server.log())


class FastCgiTest(SiteTest):
    def test_listener_recycled_a_remaining_process_takes_over(self):
        # IIS recycles a FastCGI process at instanceMaxRequests and starts another only on demand:
        # what gunicorn cannot show, as it replaces a worker at once. Three processes of one site
        # (fastcgi_double.py says how it stands in for wfastcgi), none started after the listener
        # ends; one of the other two takes over, in the thread that waits for the lock, and the
        # request a debugger then stops in runs on its main thread, which was serving before.
        first = Server(self, FASTCGI)
        self.assertServes(first, times=1)  # the app is imported at a process's first request
        self.assertEqual(wait_until(first.listening_pids, "the first to listen"), [first.process.pid])
        others = [Server(self, FASTCGI, site=first) for _ in range(2)]
        for other in others:
            self.assertServes(other, times=1)
            line = wait_until(lambda: DOES_NOT.search(other.log()), "the reason not to listen")
            self.assertEqual(int(line.group(1)), other.process.pid, other.log())
        self.assertServes(first, times=FASTCGI_MAX_REQUESTS - 1)
        self.assertEqual(first.process.wait(WAIT), 0, first.log())

        (taker,) = wait_until(lambda: [other for other in others if other.listening_pids()],
                              "a remaining process to take over")
        (waiting,) = set(others) - {taker}
        self.assertIn(f"process {taker.process.pid} takes over: no process of this site listens on "
                      f"127.0.0.1:{first.debug_port} any more", taker.log())
        self.assertEqual(taker.lock_holder(), str(taker.process.pid))
        # The other one serves on and, recycled in turn, exits: its waiting thread does not keep it.
        self.assertServes(waiting, times=FASTCGI_MAX_REQUESTS - 1)
        self.assertEqual(waiting.process.wait(WAIT), 0, waiting.log())
        self.assertEqual(waiting.listening_pids(), [], waiting.log())

        self.assertEqual(len(listeners(first.debug_port)), 1, taker.log())
        client = DapClient(first.debug_port)
        try:
            self.assertEqual(client.attach(breakpoint_line=line_of("greeting = ")), taker.process.pid)
            self.assertRequestStopsAtTheBreakpoint(client, taker.port)
        finally:
            client.close()
        self.assertNotIn("Traceback", first.log() + taker.log() + waiting.log())


class WaitressTest(SiteTest):
    def test_single_process_listens(self):
        server = Server(self, WAITRESS + ["app:wsgi_app"])
        wait_until(lambda: server.listening_pids(), "the server to listen for a debugger")
        self.assertServes(server)
        self.assertOneDebuggee(server, {server.process.pid})
        self.assertNotIn(SECRET, server.log())

    def test_breakpoint_in_a_request_thread(self):
        server = Server(self, WAITRESS + ["app:wsgi_app"])
        wait_until(lambda: server.listening_pids(), "the server to listen for a debugger")
        client = DapClient(server.debug_port)
        try:
            client.attach(breakpoint_line=line_of("greeting = "))
            self.assertRequestStopsAtTheBreakpoint(client, server.port)
        finally:
            client.close()

    def test_port_held_by_another_program(self):
        # The lock is free but the port is not: after its bounded wait the app serves without
        # the debugger and says why.
        holder = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(holder.close)
        server = Server(self, WAITRESS + ["app:wsgi_app"], debug_port=holder.getsockname()[1])
        message = wait_until(lambda: DOES_NOT.search(server.log()), "the reason not to listen").group(2)
        self.assertIn(f"127.0.0.1:{server.debug_port} stayed in use for 10 s", message)
        self.assertServes(server)
        self.assertEqual(listeners(server.debug_port), {os.getpid()})
        self.assertEqual(server.listening_pids(), [])

    def test_without_debugpy_the_site_serves_and_says_why(self):
        missing = tempfile.TemporaryDirectory(prefix="ptvsd-site-no-debugpy-")
        self.addCleanup(missing.cleanup)
        (Path(missing.name) / "debugpy").mkdir()
        (Path(missing.name) / "debugpy" / "__init__.py").write_text(
            "raise ImportError('debugpy is not installed (a stand-in for a site without it)')\n")
        server = Server(self, WAITRESS + ["app:wsgi_app"], first_on_path=[missing.name])
        self.assertServes(server)
        reason = (f"remote debugging: process {server.process.pid} does not listen on 127.0.0.1:{server.debug_port}: "
                  "ImportError: debugpy is not installed")
        wait_until(lambda: reason in server.log(), "the reason not to listen")
        self.assertEqual(listeners(server.debug_port), set())

    def test_no_secret_nothing_listens(self):
        server = Server(self, WAITRESS + ["app:wsgi_app"], secret=None)
        self.assertServes(server)
        self.assertEqual(listeners(server.debug_port), set())
        self.assertNotIn("remote debugging", server.log())


if __name__ == "__main__":
    unittest.main()
