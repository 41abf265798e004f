"""Is a real service (PostgreSQL, Redis, RabbitMQ) reachable? Tests and `make test` ask here.

Outside CI a missing service means its tests are skipped with a clear reason; with
REQUIRE_SERVICES=1 (set by .ci/run) it is a failure instead.

    python -m tests.support.services postgres   # exit 0: reachable, 1: required but missing,
                                                # 2: missing, skip
"""

import os
import socket
import sys

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")

ADDRESSES = {
    "postgres": ("127.0.0.1", 5432),
    "redis": ("127.0.0.1", 6379),
    "rabbitmq": ("127.0.0.1", 5672),
}


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def unreachable_reason(name: str) -> str | None:
    """None when the service answers, else why not."""
    host, port = ADDRESSES[name]
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
    except OSError as error:
        return f"{name} is not reachable at {host}:{port} ({error})"
    if name == "postgres":
        try:
            import psycopg

            with psycopg.connect(POSTGRES_URL, connect_timeout=3):
                pass
        except Exception as error:
            return f"PostgreSQL refused a connection to {POSTGRES_URL} ({error})"
    return None


def require(name: str) -> None:
    """In a test: skip (or fail, with REQUIRE_SERVICES=1) when the service is missing."""
    import pytest

    reason = unreachable_reason(name)
    if reason is None:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


if __name__ == "__main__":
    service = sys.argv[1]
    reason = unreachable_reason(service)
    if reason is None:
        sys.exit(0)
    if services_required():
        print(f"FAILED: REQUIRE_SERVICES=1 but {reason}", file=sys.stderr)
        sys.exit(1)
    print(f"SKIPPED the {service} run: {reason}", file=sys.stderr)
    sys.exit(2)
