"""A real ClamAV daemon (Debian's clamav-daemon) for the virus-scan tests.

freshclam's signature databases need the internet, which this machine lacks, so the daemon
loads a database of one line of our own: the EICAR test file's MD5 hash (ClamAV's `.hdb`
format), under the name ClamAV's own databases give it. Everything else is the real clamd:
its socket, its INSTREAM protocol, its limits and answers. Without clamd the tests skip, and
fail under REQUIRE_SERVICES=1 (.ci/run installs clamav-daemon).
"""

import hashlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.services import services_required

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"


def require_clamd() -> None:
    import pytest

    if shutil.which("clamd") is not None:
        return
    reason = "clamd is not installed (apt-get install clamav-daemon)"
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def running_clamd(folder: Path) -> Iterator[str]:
    """Starts clamd on a Unix socket in `folder`; yields the socket's path; stops it."""
    database = folder / "db"
    database.mkdir()
    md5 = hashlib.md5(EICAR).hexdigest()  # the .hdb format names a file by its MD5
    (database / "eicar.hdb").write_text(f"{md5}:{len(EICAR)}:{SIGNATURE}\n")
    socket_path = folder / "clamd.ctl"
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\nLocalSocket {socket_path}\nDatabaseDirectory {database}\n"
        f"LogFile {folder / 'clamd.log'}\nPidFile {folder / 'clamd.pid'}\n"
    )
    daemon = subprocess.Popen(["clamd", "-c", str(config)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not socket_path.exists():
            if daemon.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                raise RuntimeError(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.05)
        yield str(socket_path)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
