"""A minimal WSGI app, published to IIS / Azure App Service through wfastcgi (see web.config).

On a Debug publish the site gets WSGI_PTVSD_SECRET, and ptvsd_site starts debugpy for the
debugger that attaches through /ptvsd; without that setting it does nothing.
"""

import ptvsd_site

ptvsd_site.listen()


def wsgi_app(environ, start_response):
    greeting = "Hello from a Python site that can be debugged remotely."
    body = (greeting + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    make_server("127.0.0.1", 8000, wsgi_app).serve_forever()
