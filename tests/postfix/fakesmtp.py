#!/usr/bin/env python3
"""fakesmtp.py - a tiny SMTP server on loopback for the end-to-end tests.

Usage: fakesmtp.py PORT SPOOLDIR [RULE...]

RULE is "localpart=CODE ENHANCED TEXT", e.g.
    "nosuchuser=550 5.1.1 <nosuchuser@remote.test>: Recipient address rejected: User unknown"
RCPT TO a matching local part gets that reply; every other recipient is
accepted.  Each accepted message is written to SPOOLDIR/NNN.eml exactly
as received (dot-unstuffed, CRLF); SPOOLDIR/NNN.env holds "MAIL FROM"
and the accepted recipients.  The port file SPOOLDIR/ready appears once
the server listens.  Only the standard library; no DNS.
"""
import os
import socketserver
import sys
import threading

RULES = {}
SPOOL = "."
COUNTER = [0]
LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 remote.test ESMTP fakesmtp")
        sender, rcpts = None, []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("latin-1").rstrip("\r\n")
            cmd = line[:4].upper()
            if cmd in ("EHLO", "HELO"):
                if cmd == "EHLO":
                    self.wfile.write(b"250-remote.test\r\n250-8BITMIME\r\n")
                self.reply("250 remote.test")
            elif cmd == "MAIL":
                sender, rcpts = line[10:].strip(), []
                self.reply("250 2.1.0 Ok")
            elif cmd == "RCPT":
                addr = line[8:].strip().split()[0].strip("<>")
                local = addr.split("@")[0].lower()
                if local in RULES:
                    self.reply(RULES[local])
                else:
                    rcpts.append(addr)
                    self.reply("250 2.1.5 Ok")
            elif cmd == "DATA":
                if not rcpts:
                    self.reply("554 5.5.1 Error: no valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    raw = self.rfile.readline(1 << 20)
                    if not raw or raw in (b".\r\n", b".\n"):
                        break
                    if raw.startswith(b".."):
                        raw = raw[1:]
                    data += raw
                with LOCK:
                    COUNTER[0] += 1
                    base = os.path.join(SPOOL, "%03d" % COUNTER[0])
                with open(base + ".eml.tmp", "wb") as f:
                    f.write(bytes(data))
                with open(base + ".env", "w") as f:
                    f.write("MAIL FROM:%s\n" % sender)
                    for r in rcpts:
                        f.write("RCPT TO:%s\n" % r)
                os.rename(base + ".eml.tmp", base + ".eml")
                self.reply("250 2.0.0 Ok: queued")
            elif cmd == "RSET":
                sender, rcpts = None, []
                self.reply("250 2.0.0 Ok")
            elif cmd == "NOOP":
                self.reply("250 2.0.0 Ok")
            elif cmd == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global SPOOL
    port, SPOOL = int(sys.argv[1]), sys.argv[2]
    for rule in sys.argv[3:]:
        local, reply = rule.split("=", 1)
        RULES[local.lower()] = reply
    os.makedirs(SPOOL, exist_ok=True)
    srv = Server(("127.0.0.1", port), Handler)
    with open(os.path.join(SPOOL, "ready"), "w") as f:
        f.write("%d\n" % port)
    srv.serve_forever()


if __name__ == "__main__":
    main()
