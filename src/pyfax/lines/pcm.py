"""Raw PCM stream backends: s16le 8 kHz audio over local TCP or a pipe.

This joins other programs (a SIP stack, a modem bridge, a test harness) to
pyfax with no protocol at all: once connected, each side writes its audio
as signed 16-bit little-endian samples at 8000 Hz and reads the other's.
A call is answered when the stream opens; it ends when either side closes.

* :class:`TcpPcmBackend` connects to ``127.0.0.1:port`` (TCP is limited to
  the loopback interface: raw audio has no authentication).
* :class:`PipePcmBackend` starts a program per call (``{number}`` in its
  arguments is replaced by the number) and talks over its stdin and stdout.
* :func:`serve_tcp_once` is the answering side: accept one call on
  ``127.0.0.1:port`` and hand its :class:`PcmCall` to a handler.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
from collections.abc import Callable, Sequence
from typing import IO

import numpy as np

from pyfax.errors import LineError
from pyfax.lines.base import CallProgress
from pyfax.modem.base import Samples

__all__ = ["PcmCall", "PipePcmBackend", "TcpPcmBackend", "serve_tcp_once"]

LOCALHOST = "127.0.0.1"


class PcmCall:
    """A call over a pair of byte streams carrying s16le 8 kHz audio."""

    def __init__(self, reader: IO[bytes], writer: IO[bytes],
                 on_close: Callable[[], None] | None = None) -> None:
        self._reader = reader
        self._writer = writer
        self._on_close = on_close
        self.progress = CallProgress.ANSWERED
        self.remote_hung_up = False
        self._ended = False

    def exchange(self, block: Samples) -> Samples:
        """Write ``block``; read as many samples (silence once the far end closed)."""
        if self._ended:
            raise LineError("the PCM call has ended")
        n = len(block)
        if not self.remote_hung_up:
            try:
                self._writer.write(np.asarray(block, dtype="<i2").tobytes())
                self._writer.flush()
                data = self._read_exactly(2 * n)
            except (BrokenPipeError, ConnectionError, OSError):
                data = b""
            if len(data) < 2 * n:
                self.remote_hung_up = True
                data += bytes(2 * n - len(data))
            return np.frombuffer(data, dtype="<i2").astype(np.int16)
        return np.zeros(n, dtype=np.int16)

    def _read_exactly(self, n_bytes: int) -> bytes:
        chunks, got = [], 0
        while got < n_bytes:
            chunk = self._reader.read(n_bytes - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def hang_up(self) -> None:
        """Close both streams (idempotent)."""
        if self._ended:
            return
        self._ended = True
        for stream in (self._writer, self._reader):
            with contextlib.suppress(OSError):  # the far end closed it already
                stream.close()
        if self._on_close is not None:
            self._on_close()


def _check_port(port: int) -> None:
    if not 0 < port < 65536:
        raise LineError(f"TCP port must be 1..65535, not {port}")


class TcpPcmBackend:
    """Dial by connecting to a raw PCM stream on ``127.0.0.1:port``."""

    def __init__(self, port: int, *, timeout_s: float = 30.0) -> None:
        _check_port(port)
        self.port = port
        self.timeout_s = timeout_s

    def dial(self, number: str) -> PcmCall:
        """Connect (the number is not sent: the stream is the line)."""
        try:
            sock = socket.create_connection((LOCALHOST, self.port), timeout=self.timeout_s)
        except OSError as exc:
            raise LineError(f"cannot connect to {LOCALHOST}:{self.port}: {exc}") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return PcmCall(sock.makefile("rb"), sock.makefile("wb"), sock.close)


class PipePcmBackend:
    """Dial by starting ``argv`` and exchanging audio over its stdin/stdout."""

    def __init__(self, argv: Sequence[str]) -> None:
        if not argv:
            raise LineError("PipePcmBackend needs a program to run")
        self.argv = list(argv)

    def dial(self, number: str) -> PcmCall:
        """Start the program for ``number``."""
        argv = [a.replace("{number}", number) for a in self.argv]
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as exc:
            raise LineError(f"cannot start {argv[0]!r}: {exc}") from exc
        assert proc.stdin is not None and proc.stdout is not None

        def reap() -> None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return PcmCall(proc.stdout, proc.stdin, reap)


def serve_tcp_once(port: int, handler: Callable[[PcmCall], None], *,
                   timeout_s: float = 60.0, ready: Callable[[int], None] | None = None) -> None:
    """Accept one call on ``127.0.0.1:port`` (0: any free port) and run ``handler``.

    Args:
        port: the port to listen on.
        handler: runs the call (e.g. a receiving terminal loop).
        timeout_s: how long to wait for the call.
        ready: called with the bound port once listening.
    """
    if port != 0:
        _check_port(port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((LOCALHOST, port))
        server.listen(1)
        server.settimeout(timeout_s)
        if ready is not None:
            ready(server.getsockname()[1])
        try:
            conn, _ = server.accept()
        except TimeoutError as exc:
            raise LineError(f"no call on {LOCALHOST}:{port} within {timeout_s} s") from exc
        conn.settimeout(None)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        call = PcmCall(conn.makefile("rb"), conn.makefile("wb"), conn.close)
        try:
            handler(call)
        finally:
            call.hang_up()
