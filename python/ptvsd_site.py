"""Starts debugpy inside a Python web app for remote debugging through ptvsd-proxy.

In the app's WSGI module (the file WSGI_HANDLER, gunicorn or waitress imports):

    import ptvsd_site
    ptvsd_site.listen()

`listen()` does nothing unless the site is configured for remote debugging, that is unless the
WSGI_PTVSD_SECRET app setting (which every Debug publish writes) reaches the process as an
environment variable, as Azure App Service and wfastcgi pass app settings. It then starts debugpy
on 127.0.0.1 only (ptvsd-proxy, which checks the secret, is the way in), port WSGI_PTVSD_PORT or
5678, in exactly one process of the site:

* Several workers (gunicorn --workers, wfastcgi maxInstances): the first takes a lock file in the
  system's temp folder and listens; the others find the lock held, log which process listens
  and serve without the debugger. debugpy serves one debugger at a time anyway.
* The listener ends (recycled by --max-requests or instanceMaxRequests, killed at its timeout
  while paused at a breakpoint) and the OS releases the lock with it. IIS starts a new FastCGI
  process only on demand, so the others do not wait for one: each tries the lock every
  RETRY_INTERVAL seconds in a daemon thread, and the first to get it listens from that thread
  while its requests in progress carry on. A worker started to replace the listener (gunicorn)
  tries at import, as the first did. Either way the dead process's debug adapter may hold the port
  until its debugger detaches, so the new listener waits for the port (at most `wait` seconds);
  if it stays held, that process gives up and one still waiting tries next.
* A server that forks its workers after importing the app (gunicorn --preload) started debugpy in
  the parent, which serves nothing: each child logs that breakpoints do not stop there.
* Whatever fails (debugpy missing, the port held by another program), the process logs why and
  carries on serving: `listen()` never raises for it, so it never stops a server from starting.

debugpy is configured with subProcess=False: the site's own child processes are not debugged, so
one debugger connection is all a session needs (the proxy bridges one).

Messages go to the `ptvsd_site` logger at WARNING (a site that can be debugged says so in its
log); with no logging configured, Python prints them on stderr. Standard library and debugpy only;
Windows and POSIX.
"""

import atexit
import logging
import os
import socket
import sys
import tempfile
import threading
import time

SECRET_SETTING = "WSGI_PTVSD_SECRET"
PORT_SETTING = "WSGI_PTVSD_PORT"
DEFAULT_PORT = 5678
HOST = "127.0.0.1"
RETRY_INTERVAL = 1.0  # seconds between a waiting worker's tries of the lock

_log = logging.getLogger("ptvsd_site")
# The lock of the listening process, held open until it exits (the OS then releases it).
_held_lock = None
# The thread of a worker that waits to take over from the listener, started once per process.
_takeover = None
# Set at interpreter exit, so that a worker shutting down does not take over only to die with it.
_exiting = threading.Event()
atexit.register(_exiting.set)


def listen(port=None, wait=10.0):
    """Starts debugpy on 127.0.0.1:`port` in this process if the site is configured for remote
    debugging and no other process of the site listens already. Returns True when this process
    listens (or already did), False otherwise; the reason is logged. A process that finds another
    listening takes over in the background once that one has ended."""
    global _takeover
    if _held_lock is not None:
        return True
    if not os.environ.get(SECRET_SETTING):
        _log.info("remote debugging off: no %s app setting", SECRET_SETTING)
        return False
    port = _port(port)
    if port is None:
        return False
    lock = _Lock(port)
    if not lock.acquire():
        holder = lock.holder()
        lock.release()
        _log.warning("remote debugging: process %d does not listen: process %s of this site listens on %s:%d "
                     "(debugpy serves one debugger at a time); it takes over if that process ends",
                     os.getpid(), holder, HOST, port)
        if _takeover is None:
            _takeover = threading.Thread(target=_take_over, args=(port, wait), name="ptvsd_site takeover",
                                         daemon=True)  # never what keeps a process from exiting
            _takeover.start()
        return False
    return _listen_holding(lock, port, wait)


def _take_over(port, wait):
    """Tries the lock until it gets it, then listens as the first listener did. debugpy supports
    listen() from any thread: it traces the threads already running (the requests in progress)
    as well as those started later."""
    lock = _Lock(port)
    while not _exiting.wait(RETRY_INTERVAL):
        if lock.acquire():
            _log.warning("remote debugging: process %d takes over: no process of this site listens on %s:%d "
                         "any more", os.getpid(), HOST, port)
            _listen_holding(lock, port, wait)
            return
        lock.release()


def _listen_holding(lock, port, wait):
    global _held_lock
    lock.record_holder()
    if not _wait_for_port(port, wait):
        lock.release()
        _log.warning("remote debugging: process %d does not listen: %s:%d stayed in use for %g s (a debugger "
                     "still attached to a process that ended, or another program); restart this process once "
                     "it is free", os.getpid(), HOST, port, wait)
        return False
    try:
        import debugpy

        debugpy.configure(subProcess=False)
        debugpy.listen((HOST, port))
    except Exception as error:  # ImportError, or debugpy's RuntimeError from its adapter
        lock.release()
        _log.warning("remote debugging: process %d does not listen on %s:%d: %s: %s", os.getpid(), HOST, port,
                     type(error).__name__, error)
        return False
    _held_lock = lock
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_forked)
    _log.warning("remote debugging on: debugpy listens on %s:%d in process %d", HOST, port, os.getpid())
    return True


def _forked():
    """A server that imports the app before it forks its workers (gunicorn --preload) ran listen()
    in the parent: the debugger debugs the parent, which serves nothing. The child says so, and
    drops its copy of debugpy's tracing, which would only slow it down."""
    global _held_lock
    if _held_lock is None:
        return  # a grandchild: its parent, a child, has said so already
    _held_lock.release()  # the child's copy only: the parent keeps the lock
    _held_lock = None
    sys.settrace(None)
    threading.settrace(None)
    _log.warning("remote debugging: process %d does not stop at breakpoints: it was forked from process %d, "
                 "where debugpy listens; start debugpy in each worker instead (gunicorn: without --preload)",
                 os.getpid(), os.getppid())


def _port(port):
    text = port if port is not None else os.environ.get(PORT_SETTING) or DEFAULT_PORT
    try:
        value = int(text)
    except (TypeError, ValueError):
        value = 0
    if not 0 < value < 65536:
        _log.warning("remote debugging: not listening: %s=%r is not a port number", PORT_SETTING, text)
        return None
    return value


def _port_is_free(port):
    """Whether debugpy could bind the port now, asked the way it binds (its common/sockets.py), so
    that a port in TIME_WAIT counts as free on POSIX and nothing connects to a listener."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if sys.platform == "win32":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _wait_for_port(port, wait):
    deadline = time.monotonic() + wait
    while not _port_is_free(port):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


class _Lock:
    """An exclusive lock on <temp>/ptvsd-site-<port>.lock, released by the OS when its process ends
    however it ends. The holder writes its process id into the file for the others' log line."""

    def __init__(self, port):
        self.path = os.path.join(tempfile.gettempdir(), "ptvsd-site-%d.lock" % port)
        self.fd = None

    def acquire(self):
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            # Unusable lock file (another user's): the port alone decides, as debugpy's bind does.
            _log.info("remote debugging: no lock file %s (%s); relying on the port", self.path, error)
            return True
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(self.fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def holder(self):
        try:
            text = os.pread(self.fd, 32, 0) if hasattr(os, "pread") else b""
        except OSError:
            text = b""
        text = text.strip()
        return text.decode("ascii") if text.isdigit() else "(unknown)"

    def record_holder(self):
        if self.fd is None or not hasattr(os, "pwrite"):
            return  # Windows: the others cannot read a locked byte range anyway
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode("ascii"), 0)

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
