"""Swaps two names with renameat2(RENAME_EXCHANGE) in a loop until killed: the race of issue 14 item 2.

Usage: rename-exchange.py A B LINK_TARGET. B starts as a link to LINK_TARGET; when a write
replaces the link (neither name is a link any more), B is made a link again, so the race goes on.
Prints "ready" once the first swap worked.
"""
import ctypes
import os
import sys

AT_FDCWD = -100
RENAME_EXCHANGE = 2
libc = ctypes.CDLL(None, use_errno=True)
a, b, to = sys.argv[1:4]
ea, eb = os.fsencode(a), os.fsencode(b)
first = True
n = 0
while True:
    n += 1
    if n % 64 == 0 and not os.path.islink(a) and not os.path.islink(b):
        os.symlink(to, b + ".new")
        os.replace(b + ".new", b)
    if libc.renameat2(AT_FDCWD, ea, AT_FDCWD, eb, RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        if err != 2:  # ENOENT: the writer's rename momentarily took one name; try again
            sys.stderr.write(f"renameat2: {os.strerror(err)}\n")
            sys.exit(1)
    elif first:
        print("ready", flush=True)
        first = False
