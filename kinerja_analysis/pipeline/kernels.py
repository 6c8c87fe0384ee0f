"""The Jupyter kernels of a batch talk over Unix sockets, not TCP ports.

With TCP, jupyter_client picks free ports, closes them and hands their numbers to the
kernel; two kernels starting at the same moment in two pool workers can pick the same
port, and one dies with ``ZMQError: Address already in use`` ("Kernel died before
replying to kernel_info") — a report fails for no reason in its data. IPC sockets are
files with unique names in a private folder: no race, nothing listens on the network,
and the kernel's "running over TCP without encryption" warning goes away.

:class:`IPCKernelManager` is passed to papermill (``kernel_manager_class``); it is
imported only by the batch's workers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = ["IPCKernelManager", "socket_dir", "remove_socket_dir"]

#: A Unix socket path must stay under ~104 bytes (macOS) / 108 (Linux).
_MAX_PREFIX = 80
_DIR: str | None = None


def socket_dir() -> str:
    """This process's private folder for kernel sockets (created once, mode 0700)."""
    global _DIR
    if _DIR is None or not os.path.isdir(_DIR):
        base = tempfile.gettempdir()
        if len(base) > _MAX_PREFIX - 30 and os.path.isdir("/tmp"):
            base = "/tmp"
        _DIR = tempfile.mkdtemp(prefix="kinerja-k", dir=base)
    return _DIR


def remove_socket_dir() -> None:
    """Remove the socket folder (at the end of a worker's run; kernels are gone then)."""
    global _DIR
    if _DIR is not None:
        shutil.rmtree(_DIR, ignore_errors=True)
        _DIR = None


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel listens on IPC sockets in :func:`socket_dir`."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    def _ip_default(self) -> str:  # traitlets' dynamic default of ``ip``
        return os.path.join(socket_dir(), uuid.uuid4().hex[:12])
