"""A real IMAP server for tests: Dovecot (Debian's dovecot-imapd) with a throwaway mailbox.

Each use starts its own Dovecot, configured in a fresh folder, listening on a free port on
127.0.0.1 with one user and a password, and stops it afterwards: plain IMAP, or with
`tls=True` IMAP over TLS with a self-signed certificate for 127.0.0.1 made by `openssl`.
It needs the `dovecot` binary and root (Dovecot's master process starts as root and runs
mail access as the `dovecot` user). Without them the test is skipped with the reason, or
fails under REQUIRE_SERVICES=1 (.ci/run installs dovecot-imapd).
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.services import services_required


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    user: str
    password: str
    certificate: Path | None = None  # the server's self-signed certificate, over TLS


def missing_reason() -> str | None:
    if shutil.which("dovecot") is None:
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    if shutil.which("openssl") is None:
        return "openssl is not installed (the TLS tests make a certificate with it)"
    if os.geteuid() != 0:
        return "Dovecot's master process needs root"
    for user in ("dovecot", "dovenull"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"the system user {user!r} that dovecot-imapd creates is missing"
    return None


def require_dovecot() -> None:
    import pytest

    reason = missing_reason()
    if reason is None:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(folder: Path, port: int, tls: bool) -> str:
    mail_user = pwd.getpwnam("dovecot")
    if tls:
        ssl = f"ssl = required\nssl_cert = <{folder}/cert.pem\nssl_key = <{folder}/key.pem"
        plain_port, tls_port = 0, port
    else:
        ssl = "ssl = no"
        plain_port, tls_port = port, 0
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = {mail_user.pw_uid}
mail_location = maildir:{folder}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def _self_signed_certificate(folder: Path) -> Path:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem"


@contextmanager
def dovecot(tls: bool = False) -> Iterator[ImapAccount]:
    """A running Dovecot with an empty INBOX for the user it returns."""
    # Not under pytest's tmp_path: its parent is private to root, and the mail processes run
    # as the dovecot user.
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-imap-"))
    folder.chmod(0o755)
    certificate = _self_signed_certificate(folder) if tls else None
    account = ImapAccount("127.0.0.1", _free_port(), "helpdesk", "not-a-real-secret", certificate)
    mail_user = pwd.getpwnam("dovecot")
    for part in ("run", "state", "home"):
        (folder / part).mkdir()
    os.chown(folder / "home", mail_user.pw_uid, mail_user.pw_gid)
    (folder / "users").write_text(f"{account.user}:{{PLAIN}}{account.password}\n")
    (folder / "dovecot.conf").write_text(_config(folder, account.port, tls))
    server = subprocess.Popen(["dovecot", "-F", "-c", str(folder / "dovecot.conf")])
    try:
        _wait_for(account, server, folder)
        yield account
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(account: ImapAccount, server: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with socket.create_connection((account.host, account.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    log = folder / "dovecot.log"
    raise RuntimeError(
        "Dovecot did not start: " + (log.read_text() if log.exists() else "no log written")
    )
