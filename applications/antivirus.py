"""The optional virus scan of uploads by clamd (ClamAV's daemon) over its UNIX socket.

Off unless ``CLAMD_SOCKET`` is set (docs/deployment.md). When it is set every upload is
streamed to clamd with the INSTREAM command before anything parses it, and the upload is
refused when clamd finds something, answers anything but OK, or cannot be reached: a scanner
that is down stops uploads rather than letting them through unscanned.
"""

import logging
import socket
import struct
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
# clamd answers a command prefixed with "z" with a reply ended by a NUL byte.
REPLY_MAX = 4096


def clamd_scan(path: Path) -> None:
    """Stream ``path`` to clamd; ``ValidationError`` unless clamd answers that it is clean."""
    socket_path = settings.CLAMD_SOCKET
    if not socket_path:
        return
    try:
        reply = _instream(socket_path, path, timeout=settings.CLAMD_TIMEOUT)
    except OSError as error:
        logger.error("clamd at %s cannot be used: %s", socket_path, error)
        raise ValidationError(
            _(
                "The virus scanner cannot be reached, so the file was not stored; try again "
                "later or tell the system administrator."
            )
        ) from None
    if reply == "stream: OK":
        return
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream: ").removesuffix(" FOUND")
        logger.warning("clamd found %s in an upload; refused", signature)
        raise ValidationError(
            _("The virus scanner found “%(virus)s” in the file; it was refused.")
            % {"virus": signature}
        )
    logger.error("clamd answered %r; the upload is refused", reply)
    raise ValidationError(
        _(
            "The virus scanner could not check the file (%(reply)s), so it was not stored; "
            "tell the system administrator."
        )
        % {"reply": reply[:200]}
    )


def _instream(socket_path: str, path: Path, *, timeout: float) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(socket_path)
        try:
            conn.sendall(b"zINSTREAM\0")
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(struct.pack(">I", 0))
        except (BrokenPipeError, ConnectionResetError):
            # clamd closes the stream early past its StreamMaxLength; its reply says so.
            pass
        return _reply(conn)


def _reply(conn: socket.socket) -> str:
    data = b""
    while b"\0" not in data and len(data) < REPLY_MAX:
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    if not data:
        raise ConnectionError("clamd closed the connection without an answer")
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
