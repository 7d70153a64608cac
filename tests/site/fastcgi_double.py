"""A stand-in for one wfastcgi process under IIS, for test_site.py.

IIS runs up to maxInstances such processes side by side. wfastcgi imports the app (whose import
calls ptvsd_site.listen()) at its process's first request and serves one request at a time on the
main thread. After instanceMaxRequests requests IIS ends the process, and it starts another only
when requests need one; the processes that remain serve on meanwhile. wfastcgi needs IIS's pipes,
so this one serves HTTP with wsgiref on a port of its own (which also lets a test send a request
to a chosen process), and ends after MAX_REQUESTS requests by returning from its loop, as wfastcgi
does when IIS closes its pipe: Python then exits as usual, which waits for every thread that is
not a daemon.

Usage: fastcgi_double.py PORT MAX_REQUESTS
"""

import sys
from wsgiref.simple_server import make_server


def handler(environ, start_response):
    import app  # at the first request, as wfastcgi imports WSGI_HANDLER

    return app.wsgi_app(environ, start_response)


server = make_server("127.0.0.1", int(sys.argv[1]), handler)
for _ in range(int(sys.argv[2])):
    server.handle_request()
server.server_close()
