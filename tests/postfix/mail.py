#!/usr/bin/env python3
"""mail.py - helpers for the end-to-end tests (standard library only).

  mail.py send PORT FROM TO FILE   send FILE over SMTP to 127.0.0.1:PORT
                                   (FROM "" is the null sender)
  mail.py dsn FILE                 print the message/delivery-status part
                                   of FILE byte for byte (with its part
                                   header); exit 1 when there is none
  mail.py header FILE NAME         print the value of header NAME, or
                                   exit 1
  mail.py freeport                 print a free TCP port on 127.0.0.1
"""
import re
import smtplib
import socket
import sys


def crlf(data):
    """data with every bare LF made CRLF: SMTP wants CRLF, Sendmail
    refuses bare LF."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", data)


def smtp_send(port, sender, rcpt, data, before_data=None, timeout=30):
    """Send data (CRLF) over SMTP to 127.0.0.1:port from sender ("" is
    the null sender) to rcpt, calling before_data() (if given) between
    RCPT TO and DATA; None when the server took it, else the reply that
    refused it."""
    with smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.test",
                      timeout=timeout) as s:
        s.ehlo()
        code, msg = s.mail("<%s>" % sender if sender else "<>")
        if code != 250:
            return "MAIL FROM: %d %s" % (code, msg)
        code, msg = s.rcpt("<%s>" % rcpt)
        if code not in (250, 251):
            return "RCPT TO: %d %s" % (code, msg)
        if before_data is not None:
            before_data()
        code, msg = s.data(data)
        if code != 250:
            return "DATA: %d %s" % (code, msg)
    return None


def send(port, sender, rcpt, path):
    with open(path, "rb") as f:
        err = smtp_send(port, sender, rcpt, crlf(f.read()))
    if err is not None:
        raise SystemExit(err)


def top_boundary(data):
    head = data.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    head = re.sub(rb"\n[ \t]+", b" ", head)
    m = re.search(rb'(?im)^content-type:[^\n]*boundary="?([^";\n]+)"?', head)
    return m.group(1).strip() if m else None


def dsn_part(data):
    """The message/delivery-status part of data (bytes) with its part
    header, byte for byte, or None."""
    b = top_boundary(data)
    if b is None:
        return None
    for part in data.split(b"--" + b)[1:]:
        if re.search(rb"(?im)^content-type:\s*message/(global-)?delivery-status",
                     part.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]):
            return part
    return None


def dsn(path):
    part = dsn_part(open(path, "rb").read())
    if part is None:
        raise SystemExit(1)
    sys.stdout.buffer.write(part)


def header(path, name):
    data = open(path, "rb").read().replace(b"\r\n", b"\n")
    head = re.sub(rb"\n[ \t]+", b" ", data.split(b"\n\n", 1)[0])
    for line in head.split(b"\n"):
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower().encode():
            print(v.strip().decode("latin-1"))
            return
    raise SystemExit(1)


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"send": send, "dsn": dsn, "header": header, "freeport": freeport}[cmd](*args)
