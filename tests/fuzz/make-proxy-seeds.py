#!/usr/bin/env python3
"""Writes the seed corpora of the proxy targets (tests/fuzz/corpus/proxy_request, proxy_frames).
Hand-built bytes, so each seed says what it is; run again after changing one."""
import base64
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
# The secret the target checks against (proxy_request_fuzzer.cpp).
SECRET = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ"
KEY = "dGhlIHNhbXBsZSBub25jZQ=="


def request(target="/ptvsd", method="GET", extra=(), upgrade=True):
    lines = [f"{method} {target} HTTP/1.1", "Host: site.example"]
    if upgrade:
        lines += ["Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {KEY}",
                  "Sec-WebSocket-Version: 13"]
    lines += list(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def basic(user):
    return "Authorization: Basic " + base64.b64encode(user.encode()).decode()


requests = {
    # wss://<secret>@site/ptvsd: the client sends the user part as Basic with an empty password
    "upgrade_basic_userinfo": request(extra=[basic(SECRET + ":")]),
    "upgrade_basic_no_colon": request(extra=[basic(SECRET)]),
    "upgrade_basic_unpadded": request(extra=["Authorization: Basic " +
                                             base64.b64encode((SECRET + ":").encode()).decode().rstrip("=")]),
    "upgrade_bearer": request(target="/PTVSD/?x=1", extra=[f"Authorization: bearer  {SECRET} "]),
    "upgrade_forwarded": request(extra=[basic(SECRET + ":"), "X-Forwarded-For: 10.0.0.1, [2001:db8::1]:443"]),
    "upgrade_wrong_secret": request(extra=[basic("guess:"), "X-Forwarded-For: 203.0.113.9:5555"]),
    "upgrade_password": request(extra=[basic(SECRET + ":password")]),
    "upgrade_two_credentials": request(extra=[f"Authorization: Bearer {SECRET}", "Authorization: Bearer x"]),
    "upgrade_no_key": request(extra=[]).replace(f"Sec-WebSocket-Key: {KEY}\r\n".encode(), b""),
    "upgrade_version_8": request().replace(b"Version: 13", b"Version: 8"),
    "upgrade_other_path": request(target="/ptvsd/x", extra=[f"Authorization: Bearer {SECRET}"]),
    "info_get": request(upgrade=False, extra=["Accept: text/html", "Cookie: a=b"]),
    "info_head_http10": request(upgrade=False, method="HEAD").replace(b"HTTP/1.1", b"HTTP/1.0"),
    "post": request(upgrade=False, method="POST", extra=["Content-Length: 0"]),
    "post_with_body": request(upgrade=False, method="POST", extra=["Content-Length: 4"]) + b"abcd",
    "chunked": request(upgrade=False, extra=["Transfer-Encoding: chunked"]) + b"0\r\n\r\n",
    "not_found": request(target="/", upgrade=False),
    "bad_request_line": b"GET /ptvsd\r\n\r\n",
    "bad_header": b"GET /ptvsd HTTP/1.1\r\nHost site\r\n\r\n",
    "cut_short": request()[:40],
}


def frame(opcode, payload=b"", fin=True, mask=b"\x37\xfa\x21\x3d", length=None):
    """A client frame; mask=None leaves it unmasked (a protocol error from a client)."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload) if length is None else length
    if n < 126:
        head = bytes([first, (0x80 if mask else 0) | n])
    elif n < 65536:
        head = bytes([first, (0x80 if mask else 0) | 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, (0x80 if mask else 0) | 127]) + struct.pack(">Q", n)
    if not mask:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


close_normal = frame(0x8, struct.pack(">H", 1000) + b"bye")
dap = b'Content-Length: 41\r\n\r\n{"seq":1,"type":"request","command":"x"}'
frames = {
    "text": frame(0x1, b"hello") + close_normal,
    "binary_dap": frame(0x2, dap) + close_normal,
    "ping_pong": frame(0x9, b"are you there") + frame(0xA, b"unsolicited") + close_normal,
    "close_empty": frame(0x8),
    "close_bad_code": frame(0x8, struct.pack(">H", 999)),
    "fragmented": frame(0x1, b"frag", fin=False) + frame(0x9, b"p") + frame(0x0, b"men", fin=False) +
                  frame(0x0, b"ted") + close_normal,
    "length_16bit": frame(0x2, bytes(range(256)) * 2) + close_normal,
    "oversize_header": frame(0x2, b"x" * 16, length=2 * 1024 * 1024),
    "oversize_fragments": frame(0x2, b"a" * 8, fin=False) + frame(0x0, b"b" * 8, length=1024 * 1024),
    "unmasked": frame(0x2, b"no mask", mask=None),
    "bad_utf8": frame(0x1, b"\xc3\x28") + close_normal,
    "reserved_opcode": frame(0x3, b"?"),
    "long_ping": frame(0x9, b"p" * 126),
    "cut_short": frame(0x2, b"0123456789")[:8],
}

for folder, seeds in (("proxy_request", requests), ("proxy_frames", frames)):
    for name, data in seeds.items():
        with open(os.path.join(here, "corpus", folder, name), "wb") as out:
            out.write(data)
