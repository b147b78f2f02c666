"""Take the network away from a worker process: a seccomp filter that refuses ``socket()``.

The query worker (:mod:`kg.queryproc`) needs no socket once it has loaded
the graph: it talks to its parent over pipes it already holds. A query
engine that can be told to fetch URLs (SPARQL ``SERVICE``) is then unable to
open a connection, whatever the query says, even if the text check in
:func:`kg.sparql.refuse_service` were ever fooled. This is defence in
depth, on Linux x86-64 and arm64; elsewhere :func:`forbid_sockets` does
nothing and the text check stands alone.

The filter is six classic-BPF instructions, installed with ``prctl`` through
ctypes: a library (libseccomp's bindings) would be a system package, not a
PyPI one, for what fits on a screen. It is inherited by every thread and
child of the process and cannot be removed.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys

__all__ = ["forbid_sockets"]

# <linux/audit.h> architecture tokens and the number of socket(2) on each.
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198), "arm64": (0xC00000B7, 198)}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_X32_BIT = 0x40000000  # x86-64's x32 ABI numbers: refused wholesale, Python never uses them


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def forbid_sockets() -> bool:
    """Make every later ``socket()`` call of this process fail with EACCES; True if it is in force."""
    arch = _ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, socket_nr = arch
    denied = _RET_ERRNO | errno.EACCES
    program = [
        (_LD_ABS_W, 0, 0, 4),            # A = seccomp_data.arch
        (_JEQ_K, 0, 4, audit_arch),      # another ABI (e.g. 32-bit): leave it → allow
        (_LD_ABS_W, 0, 0, 0),            # A = seccomp_data.nr
        (_JEQ_K, 1, 0, socket_nr),       # socket(2) → refuse
        (_JGE_K, 0, 1, _X32_BIT),        # x32 numbers → refuse, the rest → allow
        (_RET_K, 0, 0, denied),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    filters = (_Filter * len(program))(*(_Filter(*row) for row in program))
    prog = _Program(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) == 0
