#!/usr/bin/env python3
"""Builds the chromium-shaped-*.hex vectors by hand with Python's hmac/zlib, independently of the Java codec.

Attribute order follows what Chromium's p2p/base/connection.cc puts in a connectivity check from the controlling
side: USERNAME, GOOG-NETWORK-INFO (0xC057: 16-bit network id, 16-bit network cost), ICE-CONTROLLING,
[USE-CANDIDATE], PRIORITY, then MESSAGE-INTEGRITY and FINGERPRINT. Padding is zero bytes. These are not captures:
the values (ufrags, passwords, tie-breaker, transaction ids, priority) are ours. Run from this directory.
"""
import hashlib, hmac, zlib

LOCAL_UFRAG, LOCAL_PWD = b"gwufrag", b"Xb3kQ9zP2mW7tR5vN8cJ4hLd"  # the gateway's (answer) credentials
REMOTE_UFRAG = b"browserufrag"                                      # the browser's (offer) ufrag
SOURCE = (bytes([192, 0, 2, 44]), 54321)                            # where the request comes from

def attr(t, v):
    return t.to_bytes(2, "big") + len(v).to_bytes(2, "big") + v + b"\0" * (-len(v) % 4)

def message(mtype, tid, attrs, key):
    body = b"".join(attrs)
    head = lambda n: mtype.to_bytes(2, "big") + n.to_bytes(2, "big") + bytes.fromhex("2112a442") + tid
    mi = hmac.new(key, head(len(body) + 24) + body, hashlib.sha1).digest()
    body += attr(0x0008, mi)
    fp = (zlib.crc32(head(len(body) + 8) + body) ^ 0x5354554E).to_bytes(4, "big")
    return head(len(body) + 8) + body + attr(0x8028, fp)

def request(tid, use_candidate):
    attrs = [attr(0x0006, LOCAL_UFRAG + b":" + REMOTE_UFRAG),
             attr(0xC057, bytes.fromhex("0001000a")),            # network id 1, cost 10 (Chromium's ethernet)
             attr(0x802A, bytes.fromhex("5fa3b1e27c4d9086"))]    # ICE-CONTROLLING tie-breaker
    if use_candidate:
        attrs.append(attr(0x0025, b""))
    attrs.append(attr(0x0024, (1845501695).to_bytes(4, "big")))  # PRIORITY 0x6e001eff (peer-reflexive)
    return message(0x0001, tid, attrs, LOCAL_PWD)

def success(req):
    tid = req[8:20]
    ip, port = SOURCE
    xport = (port ^ 0x2112).to_bytes(2, "big")
    xip = bytes(a ^ b for a, b in zip(ip, bytes.fromhex("2112a442")))
    return message(0x0101, tid, [attr(0x0020, b"\x00\x01" + xport + xip)], LOCAL_PWD)

def write(name, data, notes):
    with open(name, "w") as f:
        f.write("# Hand-built (not captured) by make-chromium-shaped.py; see README.md.\n")
        for n in notes:
            f.write("# " + n + "\n")
        for i in range(0, len(data), 4):
            f.write(data[i:i + 4].hex(" ") + "\n")

check = request(bytes.fromhex("6b4e1f0a93c27d5e11a0b4c8"), False)
nominating = request(bytes.fromhex("0c5d2e7fa4b1c3d9e8f70615"), True)
common = ["password: " + LOCAL_PWD.decode(), "username: " + (LOCAL_UFRAG + b":" + REMOTE_UFRAG).decode()]
write("chromium-shaped-binding-request.hex", check, common)
write("chromium-shaped-binding-request-use-candidate.hex", nominating, common)
write("chromium-shaped-binding-success-response.hex", success(nominating),
      ["password: " + LOCAL_PWD.decode(), "mapped: 192.0.2.44:54321",
       "response to chromium-shaped-binding-request-use-candidate.hex from 192.0.2.44:54321"])
