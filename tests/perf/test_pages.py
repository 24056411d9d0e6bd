"""Benchmark: the main pages at small and large size in one run (``make bench``).

Two databases: the demo data (``$DATABASE_URL``) and the demo data with years of history
(``${DATABASE_URL}_large``, ``manage.py perf_dataset``), each created, migrated and loaded on
first need. A gunicorn server (production settings, one sync worker) runs on each; every page
is requested in turns on the small and the large server, against a baseline page that requires
log-in and renders a tiny template. Then a mix of 40 users for 30 s against gunicorn in a few
worker/thread settings on the large database. The table goes to docs/benchmarks.md (between
the ``bench:pages`` markers) and to the terminal; nothing here asserts a time, but every
response must be a 200 and every query count the same at both sizes.
"""

import http.client
import io
import json
import logging
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.perf
logging.getLogger("weasyprint").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DOC = ROOT / "docs" / "benchmarks.md"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REQUESTS = {"html": 20, "xlsx": 4, "pdf": 3}
USERS, SECONDS, THINK = 40, 30, 1.0
PREPARE = "from tests.perf.prepare import main; main()"
SETTINGS = [("sync", 2, 1), ("gthread", 2, 4), ("sync", 3, 1)]


def _database_urls() -> tuple[str, str]:
    small = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    parts = urlsplit(small)
    large = urlunsplit(parts._replace(path=parts.path + "_large"))
    return small, os.environ.get("BENCH_LARGE_DATABASE_URL", large)


def _env(url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.perf.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        "REDIS_URL": os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15"),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "LOG_LEVEL": "WARNING",
    }


def _manage(url: str, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _database_ensure(url: str, *, large: bool) -> float:
    """Create, migrate and load the database when it lacks the data; the build's seconds."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    started = time.monotonic()
    _manage(url, "migrate", "--noinput", "-v0")
    _manage(url, "collectstatic", "--noinput", "-v0")
    probe = "from applications.models import Cycle; print(Cycle.objects.count())"
    cycles = int(_manage(url, "shell", "-c", probe).strip().splitlines()[-1])
    if cycles == 0:
        _manage(url, "load_demo")
    if large and cycles < 10:
        _manage(url, "perf_dataset")
    elif not large and not _has_history(url):
        # A few messages in each inbox (the demo sends the office none), no other history.
        _manage(url, "perf_dataset", "--cycles", "0", "--notifications", "140", "--no-national")
    return time.monotonic() - started


def _has_history(url: str) -> bool:
    probe = (
        "from organizations.models import Notification; "
        "print(Notification.objects.filter(key__startswith='perf:').exists())"
    )
    return _manage(url, "shell", "-c", probe).strip().splitlines()[-1] == "True"


class Server:
    def __init__(self, url: str, port: int, *, worker_class="sync", workers=1, threads=1):
        self.port = port
        command = [
            GUNICORN,
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=_env(url))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/healthz", {})
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn on port {port} did not answer")

    def get(self, path: str, headers: dict) -> tuple[int, float, int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        queries = int(response.getheader("X-Queries") or -1)
        connection.close()
        return response.status, elapsed, queries, body

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _headers(prepared: dict, user: str) -> dict:
    if not user:
        return {}
    return {"Cookie": f"{prepared['cookie']}={prepared['sessions'][user]}"}


def _stats(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "rps": len(times) / sum(times),
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


def _pdf_reference(pages: int) -> float:
    """A minimal WeasyPrint document with the documents' fonts and ``pages`` pages."""
    from weasyprint import HTML

    page = "<section><h1>示范司法局</h1><p>黑龙江省司法厅证明文件正文。</p></section>"
    html = (
        '<html lang="zh-CN"><head><style>'
        'h1 { font-family: "Noto Serif CJK SC", serif; } '
        'p { font-family: "AR PL UKai CN", "Noto Serif CJK SC", serif; } '
        "section { page-break-after: always; }</style></head><body>"
        + page * pages
        + "</body></html>"
    )
    HTML(string=html).write_pdf()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        HTML(string=html).write_pdf()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _workbook_reference(body: bytes) -> tuple[float, str]:
    """A plain openpyxl write-only loop writing the served workbook's values, same shape."""
    from openpyxl import Workbook, load_workbook

    served = load_workbook(io.BytesIO(body), read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in served]

    def plain() -> None:
        workbook = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        workbook.save(io.BytesIO())

    plain()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        plain()
        times.append(time.perf_counter() - started)
    shape = " + ".join(
        f"{len(rows)}×{max((len(r) for r in rows), default=0)}" for _, rows in sheets
    )
    return statistics.median(times), shape


def _pdf_pages(body: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(body)) as pdf:
        return len(pdf.pages)


def _pages(small: Server, large: Server, prepared: dict) -> list[dict]:
    results = []
    for name, kind, user, path in prepared["small"]["pages"]:
        large_path = next(p for n, _k, _u, p in prepared["large"]["pages"] if n == name)
        runs = {"small": [], "large": []}
        queries = {"small": set(), "large": set()}
        bodies = {}
        for size, server, target in (("small", small, path), ("large", large, large_path)):
            status, *_rest, body = server.get(target, _headers(prepared[size], user))  # warm-up
            assert status == 200, (name, size, status)
            bodies[size] = body
        for _ in range(ROUNDS):
            for size, server, target in (("small", small, path), ("large", large, large_path)):
                headers = _headers(prepared[size], user)
                for _ in range(REQUESTS[kind]):
                    status, elapsed, count, _body = server.get(target, headers)
                    assert status == 200, (name, size, status)
                    runs[size].append(elapsed)
                    queries[size].add(count)
        row = {"name": name, "kind": kind}
        for size in ("small", "large"):
            row[size] = {
                **_stats(runs[size]),
                "queries": min(queries[size]),
                "query_counts": sorted(queries[size]),
            }
        if kind == "pdf":
            row["pages"] = _pdf_pages(bodies["large"])
            row["reference"] = _pdf_reference(row["pages"])
        if kind == "xlsx":
            row["reference"], row["shape"] = _workbook_reference(bodies["large"])
        results.append(row)
    return results


def _mix(url: str, prepared: dict, worker_class: str, workers: int, threads: int) -> dict:
    """``USERS`` users for ``SECONDS`` s, each requesting a page of the mix then thinking."""
    server = Server(url, 18190, worker_class=worker_class, workers=workers, threads=threads)
    weights = {"html": 10, "xlsx": 2, "pdf": 1}
    mix = [(p, prepared["large"]) for p in prepared["large"]["pages"] for _ in range(weights[p[1]])]
    times, errors, lock = [], [], threading.Lock()
    stop = time.monotonic() + SECONDS

    def user(seed: int) -> None:
        chooser = random.Random(seed)
        time.sleep(chooser.random() * THINK)
        while time.monotonic() < stop:
            (name, _kind, who, path), data = chooser.choice(mix)
            try:
                status, elapsed, _q, _b = server.get(path, _headers(data, who))
            except OSError as error:
                status, elapsed = repr(error), 0.0
            with lock:
                times.append(elapsed)
                if status != 200:
                    errors.append((name, status))
            time.sleep(THINK)

    try:
        crowd = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
        for thread in crowd:
            thread.start()
        for thread in crowd:
            thread.join()
    finally:
        server.stop()
    ordered = sorted(times)
    return {
        "setting": f"{workers} × {worker_class}" + (f", {threads} threads" if threads > 1 else ""),
        "requests": len(times),
        "errors": len(errors),
        "p50": statistics.median(ordered),
        "p95": ordered[round(0.95 * (len(ordered) - 1))],
        "rps": len(times) / SECONDS,
    }


def _table(results: list[dict], mixes: list[dict], build: dict) -> str:
    baseline = next(r for r in results if r["name"] == "baseline")
    lines = [
        "| page | small req/s | large req/s | large ÷ small | large ÷ baseline"
        " | p50 small / large (ms) | p95 small / large (ms) | queries small / large | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        s, lg = r["small"], r["large"]
        ratio = lg["rps"] / s["rps"]
        to_base = lg["rps"] / baseline["large"]["rps"]
        checks = [ratio >= 0.8, s["queries"] == lg["queries"]]
        if r["kind"] == "html":
            checks.append(to_base >= 0.30)
        note = []
        if r["kind"] == "pdf":
            factor = lg["p50"] / r["reference"]
            checks.append(factor <= 3)
            note.append(
                f"{factor:.2f}× a minimal {r['pages']}-page PDF ({r['reference'] * 1000:.0f} ms)"
            )
        if r["kind"] == "xlsx":
            note.append(
                f"{lg['p50'] / r['reference']:.1f}× a plain write-only loop of {r['shape']} "
                f"({r['reference'] * 1000:.0f} ms)"
            )
        verdict = "met" if all(checks) else "**missed**"
        lines.append(
            f"| {r['name']} | {s['rps']:.1f} | {lg['rps']:.1f} | {ratio:.2f} | "
            + (f"{to_base:.2f}" if r["kind"] == "html" else "—")
            + f" | {s['p50'] * 1000:.0f} / {lg['p50'] * 1000:.0f}"
            f" | {s['p95'] * 1000:.0f} / {lg['p95'] * 1000:.0f}"
            f" | {s['queries']} / {lg['queries']} | {verdict}"
            + (f"; {'; '.join(note)}" if note else "")
            + " |"
        )
    lines += [
        "",
        f"A mix of {USERS} users for {SECONDS} s on the large database (each user requests a"
        f" page of the mix, HTML ten times as often as a PDF, workbooks twice, then waits"
        f" {THINK:.0f} s):",
        "",
        "| gunicorn | requests | errors | req/s | p50 (ms) | p95 (ms) | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in mixes:
        verdict = "met" if m["errors"] == 0 and m["p95"] <= 1 else "**missed**"
        lines.append(
            f"| {m['setting']} | {m['requests']} | {m['errors']} | {m['rps']:.1f} | "
            f"{m['p50'] * 1000:.0f} | {m['p95'] * 1000:.0f} | {verdict} |"
        )
    machine = (
        f"{platform.node() and 'this machine'}: {os.cpu_count()} cores, "
        f"{_memory_gb():.0f} GB, {platform.platform()}, Python {platform.python_version()}"
    )
    lines += [
        "",
        f"Machine: {machine}. Command: `make bench` (`pytest tests/perf -m perf -s`), "
        f"{ROUNDS} rounds alternating small and large, {REQUESTS['html']} requests a round for a"
        f" page, {REQUESTS['xlsx']} for a workbook, {REQUESTS['pdf']} for a PDF; one sync"
        " gunicorn worker per server. Query counts: the lowest seen (the session's idle"
        " time-out is renewed at most once a minute, one more query then)."
        f" Database build this run: {build['small']:.0f} s small, {build['large']:.0f} s large"
        " (0 when already built).",
    ]
    return "\n".join(lines)


def _memory_gb() -> float:
    with open("/proc/meminfo") as meminfo:
        return int(meminfo.readline().split()[1]) / 2**20


def _write(table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = f"<!-- bench:pages -->\n{table}\n<!-- /bench:pages -->"
    if "<!-- bench:pages -->" in text:
        text = re.sub(
            r"<!-- bench:pages -->.*<!-- /bench:pages -->", lambda _m: block, text, flags=re.S
        )
    else:
        text += f"\n## Pages at small and large size\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


def test_pages_at_small_and_large_size():
    small_url, large_url = _database_urls()
    build = {
        "small": _database_ensure(small_url, large=False),
        "large": _database_ensure(large_url, large=True),
    }
    prepared = {
        size: json.loads(_manage(url, "shell", "-c", PREPARE).strip().splitlines()[-1])
        for size, url in (("small", small_url), ("large", large_url))
    }
    small, large = Server(small_url, 18180), Server(large_url, 18181)
    try:
        results = _pages(small, large, prepared)
    finally:
        small.stop()
        large.stop()
    mixes = [_mix(large_url, prepared, *setting) for setting in SETTINGS]
    table = _table(results, mixes, build)
    _write(table)
    print("\n" + table)
    for r in results:
        assert r["small"]["queries"] == r["large"]["queries"], r["name"]
