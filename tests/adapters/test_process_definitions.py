"""The production process definitions agree: compose.yaml, the Procfile and the systemd units
run the same web, relay, worker and beat, so none of them can leave the relay out.

Docker is not run here; compose.yaml is read as YAML (its anchors resolved) and checked.
"""

import configparser
import runpy
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = {
    "web": "gunicorn -c deploy/gunicorn.conf.py issues_adapters.wsgi",
    "relay": "python manage.py relay_events",
    "worker": "celery -A issues_adapters.eventing.celery_app worker",
    "beat": "celery -A issues_adapters.eventing.celery_app beat",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def command_of(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


@pytest.mark.parametrize("process", PROCESSES)
def test_compose_runs_each_process_with_its_command(compose, process):
    assert command_of(compose["services"][process]).startswith(PROCESSES[process])


@pytest.mark.parametrize("process", PROCESSES)
def test_the_procfile_runs_each_process_as_compose_does(compose, process):
    assert procfile()[process] == command_of(compose["services"][process])


def test_web_relay_worker_and_beat_share_one_image_and_one_environment(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in PROCESSES}
    environments = [services[name]["environment"] for name in PROCESSES]
    assert images == {"helpdesk:latest"}
    assert all(environment == environments[0] for environment in environments)
    assert environments[0]["DEBUG"] == "0"
    assert "@postgres:5432/" in environments[0]["DATABASE_URL"]
    assert environments[0]["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert environments[0]["CACHE_URL"].startswith("redis://redis:")


def test_the_database_and_broker_are_the_official_images(compose):
    services = compose["services"]
    assert services["postgres"]["image"].split(":")[0] == "postgres"
    assert services["redis"]["image"].split(":")[0] == "redis"
    for name in PROCESSES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_compose_migrates_once_before_the_processes_start(compose):
    migrate = compose["services"]["migrate"]
    assert command_of(migrate) == "python manage.py migrate --noinput"
    assert "migrate" not in migrate["depends_on"]
    assert procfile()["release"] == command_of(migrate)


def test_compose_checks_the_web_process_at_health(compose):
    web = compose["services"]["web"]
    assert "/health/" in " ".join(web["healthcheck"]["test"])
    assert "web" in web["environment"]["ALLOWED_HOSTS"].split(",")


@pytest.mark.parametrize("process", PROCESSES)
def test_a_systemd_unit_runs_each_process_as_the_procfile_does(process):
    unit = configparser.ConfigParser(interpolation=None)
    unit.read(ROOT / "deploy" / "systemd" / f"helpdesk-{process}.service")
    exec_start = unit["Service"]["ExecStart"].removeprefix("/srv/helpdesk/.venv/bin/")
    assert exec_start.startswith(procfile()[process])
    assert unit["Service"]["Restart"] == "always"
    assert unit["Install"]["WantedBy"] == "helpdesk.target"
    target = configparser.ConfigParser(interpolation=None)
    target.read(ROOT / "deploy" / "systemd" / "helpdesk.target")
    assert f"helpdesk-{process}.service" in target["Unit"]["Wants"].split()


def test_gunicorn_gives_a_stopping_worker_time_to_drain_its_deliveries():
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert isinstance(config["graceful_timeout"], int)  # gunicorn refuses a float
    assert config["graceful_timeout"] > config["timeout"] + settings.HELPDESK_DELIVERY_DRAIN_SECONDS
    assert callable(config["worker_exit"])
