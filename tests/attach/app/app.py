"""The WSGI app the attach test debugs: it starts debugpy on loopback when it loads, as a Debug
publish does, and its view has a line to stop at (marked BREAK) with a local variable to read."""

import os

import debugpy

debugpy.listen(("127.0.0.1", int(os.environ["ATTACH_TEST_DEBUGPY_PORT"])))


def application(environ, start_response):
    name = environ.get("QUERY_STRING") or "world"
    greeting = "hello " + name  # BREAK
    body = greeting.encode("utf-8")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
