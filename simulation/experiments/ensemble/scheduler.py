"""Check a Dask scheduler's address before handing it to Dask.

Dask's client, pointed at a port where something else listens, can wait far longer
than its timeout (a silent listener) or read an HTTP reply as a frame length and try
to allocate exabytes. A Dask scheduler speaks first: on connection it sends its
handshake (a framed msgpack message naming ``pickle-protocol``). So the address is
checked here, in seconds: its form, then a TCP connection, then the handshake.
"""

from __future__ import annotations

import re
import socket
import time

from simulation.experiments.ensemble.base import EnsembleError

CONNECT_TIMEOUT = 5.0
"""Seconds to connect to a scheduler and to hear its handshake."""
_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)"
    r":(?P<port>\d{1,5})/?$"
)
_SCHEMES = ("tcp", "tls")
_HANDSHAKE = b"pickle-protocol"


def parse_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of ``tcp://HOST:PORT``, ``tls://HOST:PORT`` or ``HOST:PORT``.

    Raises:
        EnsembleError: (status 2) the address is not of that form.
    """
    match = _ADDRESS.match(address.strip())
    port = int(match["port"]) if match else 0
    scheme = (match["scheme"] or "tcp") if match else ""
    if match is None or not 0 < port < 65536 or scheme not in _SCHEMES:
        raise EnsembleError(
            f"--scheduler expects a Dask scheduler's address such as tcp://HOST:PORT "
            f"(tcp or tls, port 1-65535), got {address!r}"
        )
    return scheme, match["host"].strip("[]"), port


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Refuse, within ``timeout`` seconds or so, an address where no Dask scheduler answers.

    A ``tls://`` address is checked for its form and connection only (the handshake
    is encrypted).

    Raises:
        EnsembleError: a malformed address (status 2); nothing listening, or something
            that is not a Dask scheduler (status 1).
    """
    scheme, host, port = parse_address(address)
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except OSError as error:
        reason = "timed out" if isinstance(error, TimeoutError) else error.strerror or error
        raise EnsembleError(
            f"cannot reach the Dask scheduler at {address}: {reason}", status=1
        ) from None
    with connection:
        if scheme == "tls":
            return
        heard = _listen(connection, timeout)
    if _HANDSHAKE not in heard:
        what = f"it sent {heard[:40]!r}" if heard else f"it sent nothing in {timeout:g} s"
        raise EnsembleError(
            f"something listens at {address}, but it is not a Dask scheduler ({what}); "
            "check the host and port (a scheduler's default port is 8786)",
            status=1,
        )


def _listen(connection: socket.socket, timeout: float) -> bytes:
    """What the peer sends first, until the handshake is heard, it stops, or time is up."""
    heard = b""
    deadline = time.monotonic() + timeout
    while _HANDSHAKE not in heard and len(heard) < 4096:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        connection.settimeout(left)
        try:
            block = connection.recv(1024)
        except (TimeoutError, OSError):
            break
        if not block:
            break
        heard += block
    return heard
