"""Virus scanning of uploads, optional: with HELPDESK_CLAMD_SOCKET set, every file is streamed
to ClamAV's daemon (clamd, Debian's `clamav-daemon`) as it is copied to storage, using clamd's
INSTREAM command; a file clamd finds something in is deleted and refused with a 400 naming it.
Without the setting nothing is scanned.

The socket is a path (`/run/clamav/clamd.ctl`) or `host:port`. If clamd cannot be reached the
upload is refused (a file nobody could check is not let through).
"""

import abc
import socket
import struct

from django.conf import settings

from issues_domain.errors import InvalidInput

_CHUNK = 64 * 1024


class ScanSession(abc.ABC):
    @abc.abstractmethod
    def feed(self, data: bytes) -> None: ...

    @abc.abstractmethod
    def verdict(self) -> str | None:
        """None if clean, else what was found."""

    @abc.abstractmethod
    def close(self) -> None:
        """Give up a scan that will not be finished (the file is read again from its start)."""


class FileScanner(abc.ABC):
    """The port: a session per file, fed the file's bytes in order."""

    @abc.abstractmethod
    def start(self, filename: str) -> ScanSession: ...


class _Clean(ScanSession):
    def feed(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass

    def verdict(self) -> str | None:
        return None


class NoScanner(FileScanner):
    def start(self, filename: str) -> ScanSession:
        return _Clean()


def _unreachable(filename: str) -> InvalidInput:
    return InvalidInput.on(
        "files", f"“{filename}” could not be checked for viruses just now; please try again later."
    )


class _ClamdSession(ScanSession):
    def __init__(self, address: str, filename: str, timeout: float):
        self.filename = filename
        try:
            if ":" in address and not address.startswith("/"):
                host, port = address.rsplit(":", 1)
                self.sock = socket.create_connection((host, int(port)), timeout=timeout)
            else:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(timeout)
                self.sock.connect(address)
            self.sock.sendall(b"zINSTREAM\0")
        except OSError:
            raise _unreachable(filename) from None

    def feed(self, data: bytes) -> None:
        try:
            for start in range(0, len(data), _CHUNK):
                piece = data[start : start + _CHUNK]
                self.sock.sendall(struct.pack("!L", len(piece)) + piece)
        except OSError:
            self.sock.close()
            raise _unreachable(self.filename) from None

    def close(self) -> None:
        self.sock.close()

    def verdict(self) -> str | None:
        try:
            self.sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = self.sock.recv(4096)
                if not received:
                    break
                reply += received
        except OSError:
            raise _unreachable(self.filename) from None
        finally:
            self.sock.close()
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if answer.endswith("OK"):
            return None
        if answer.endswith("FOUND"):
            return answer.removeprefix("stream:").removesuffix("FOUND").strip() or "malware"
        raise _unreachable(self.filename)  # an error, e.g. INSTREAM size limit exceeded


class ClamdScanner(FileScanner):
    def __init__(self, address: str, timeout: float = 30.0):
        self.address, self.timeout = address, timeout

    def start(self, filename: str) -> ScanSession:
        return _ClamdSession(self.address, filename, self.timeout)


def configured_scanner() -> FileScanner:
    address = settings.HELPDESK_CLAMD_SOCKET
    return ClamdScanner(address) if address else NoScanner()


def infected(filename: str, found: str) -> InvalidInput:
    return InvalidInput.on("files", f"“{filename}” was refused: the virus scanner found {found}.")
