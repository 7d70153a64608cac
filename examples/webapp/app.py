"""A minimal WSGI app, published to IIS / Azure App Service through wfastcgi (see web.config)."""


def wsgi_app(environ, start_response):
    body = b"Hello from a Python site that can be debugged remotely.\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    make_server("127.0.0.1", 8000, wsgi_app).serve_forever()
