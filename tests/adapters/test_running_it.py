"""`make run` on a fresh machine: the address links in mail point to, what it installs.

The Makefile runs here for real, with a stand-in `python` in a throwaway virtualenv folder
that notes how it was called and, in place of the server, prints the base URL the settings
chose in that environment.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from issues_adapters.settings import base_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"HOST": "localhost", "PORT": "8101"}, "http://localhost:8101"),
        ({"HOST": "0.0.0.0", "PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"HOST": "::1", "PORT": "8101"}, "http://[::1]:8101"),
        (
            {"PORT": "8101", "HELPDESK_BASE_URL": "https://help.example.org/"},
            "https://help.example.org",
        ),
    ],
)
def test_the_base_url_follows_host_and_port_unless_set(environ, expected):
    assert base_url(environ) == expected


def _fake_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(
        textwrap.dedent(f"""\
            #!/bin/sh
            echo "$* PORT=$PORT" >> "{tmp_path}/calls"
            if [ "$2" = runserver ]; then
                exec {sys.executable} -c \\
                    "from issues_adapters import settings; print(settings.HELPDESK_BASE_URL)" \\
                    >> "{tmp_path}/calls"
            fi
        """)
    )
    python.chmod(0o755)
    for stamp in (".runtime-stamp", ".dev-stamp"):
        (venv / stamp).touch()
    return venv


def _make(tmp_path: Path, *args: str, **environ: str) -> list[str]:
    venv = _fake_venv(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "HELPDESK_BASE_URL"}}
    subprocess.run(
        ["make", "-s", *args, f"VENV={venv}"],
        cwd=ROOT,
        env=env | environ,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "calls").read_text().splitlines()


def test_make_run_on_another_port_mails_links_to_that_port(tmp_path):
    calls = _make(tmp_path, "run", PORT="8101")
    assert "manage.py runserver 127.0.0.1:8101 PORT=8101" in calls
    assert "manage.py relay_events --interval 5 PORT=8101" in calls
    assert calls[-1] == "http://127.0.0.1:8101"


def test_make_run_keeps_a_base_url_that_is_set(tmp_path):
    calls = _make(tmp_path, "run", PORT="8101", HELPDESK_BASE_URL="https://help.example.org")
    assert calls[-1] == "https://help.example.org"


def _installs(tmp_path: Path, target: str) -> list[str]:
    planned = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'fresh'}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    return [line for line in planned if "pip install" in line and "--upgrade pip" not in line]


def test_make_run_installs_only_what_serving_needs(tmp_path):
    installs = _installs(tmp_path, "run")
    assert installs
    assert not any("[dev]" in line for line in installs), installs


def test_make_test_installs_the_development_tools_too(tmp_path):
    assert any('-e ".[dev]"' in line for line in _installs(tmp_path, "test"))
