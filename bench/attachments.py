"""Reporting with files over the API, against reporting without, and what a big upload costs
the web process's memory.

    .venv/bin/python bench/attachments.py                    # SQLite file under var/bench/
    .venv/bin/python bench/attachments.py --seconds 10 --clients 4

One gunicorn worker (4 threads, gthread, DEBUG=0) on a throwaway SQLite database, with files
stored under a throwaway folder; measured one after the other in the same run:

- report (JSON): anonymous POST /api/issues/ without files;
- report + 3 x 1 MB files: the same report as multipart/form-data with three 1 MB files (random
  bytes), each streamed to storage, hashed and typed;
- for each: requests per second answered 201, median and p99 latency, and the worker's peak
  resident memory (VmHWM) after the load;
- 25 MB upload: a fresh worker reports once with a 1 kB file, then once with one 25 MB file
  (the limits raised to let it through); its peak memory before and after: uploads go to a
  temporary file as they arrive and to storage in chunks, so the rise should be a few MB,
  not 25.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api_issues import (
    PROJECT,
    REPORT,
    free_port,
    prepare,
    scratch_sqlite,
    start_gunicorn,
    stop,
)

MB = 1_000_000


def multipart(fields: dict, files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def worker_pids(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(entry.name))
    return found


def peak_rss_mb(master: int) -> float:
    peak = 0
    for pid in worker_pids(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak / 1024


def post_once(port: int, body: bytes, content_type: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/api/issues/", body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def load(port: int, body: bytes, content_type: str, *, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                connection.request(
                    "POST", "/api/issues/", body=body, headers={"Content-Type": content_type}
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rate": statuses.get(201, 0) / elapsed,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else float("nan"),
        "statuses": dict(sorted(statuses.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    database_url, drop = scratch_sqlite()
    files_dir = Path(tempfile.mkdtemp(prefix="bench-attachments-"))
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_API_REPORT_RATE": "100000000/second",
        "LOG_LEVEL": "ERROR",
        "HELPDESK_ATTACHMENTS_DIR": str(files_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PYTHONPATH": str(PROJECT),
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
    }
    json_body = json.dumps(REPORT).encode()
    three = [(f"part{n}.bin", os.urandom(MB)) for n in range(3)]
    with_files, with_files_type = multipart(REPORT, three)
    results = {}
    try:
        prepare(env)
        port = free_port()
        server = start_gunicorn("issues_adapters.wsgi", env, port, workers=1, threads=4)
        try:
            post_once(port, json_body, "application/json")
            for name, body, content_type in (
                ("report (JSON)", json_body, "application/json"),
                ("report + 3 x 1 MB files", with_files, with_files_type),
            ):
                results[name] = load(
                    port, body, content_type, clients=args.clients, seconds=args.seconds
                )
                results[name]["peak_rss_mb"] = peak_rss_mb(server.pid)
        finally:
            stop(server)

        big_env = env | {
            "HELPDESK_ATTACHMENTS_MAX_FILE_BYTES": str(30 * MB),
            "HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES": str(30 * MB),
        }
        port = free_port()
        server = start_gunicorn("issues_adapters.wsgi", big_env, port, workers=1, threads=4)
        try:
            # A small upload first, so libmagic's database (mapped on first use) and the
            # upload code are in memory before we measure what the big upload adds.
            small, small_type = multipart(REPORT, [("small.bin", os.urandom(1000))])
            post_once(port, small, small_type)
            before = peak_rss_mb(server.pid)
            big, big_type = multipart(REPORT, [("big.bin", os.urandom(25 * MB))])
            status = post_once(port, big, big_type)
            after = peak_rss_mb(server.pid)
        finally:
            stop(server)
    finally:
        drop()
        shutil.rmtree(files_dir, ignore_errors=True)

    print(f"{'':28} {'req/s':>7} {'median ms':>10} {'p99 ms':>8} {'peak RSS MB':>12}  statuses")
    for name, result in results.items():
        print(
            f"{name:28} {result['rate']:7.1f} {result['median']:10.1f} {result['p99']:8.1f} "
            f"{result['peak_rss_mb']:12.1f}  {result['statuses']}"
        )
    print(
        f"25 MB upload: answered {status}; the worker's peak RSS {before:.1f} MB before, "
        f"{after:.1f} MB after (+{after - before:.1f} MB)"
    )
    print(
        f"\nReproduce: .venv/bin/python bench/attachments.py --seconds {args.seconds:g} "
        f"--clients {args.clients}"
    )
    return 0 if status == 201 else 1


if __name__ == "__main__":
    sys.exit(main())
