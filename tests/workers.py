"""Real Celery workers for the tests that kill them: started as subprocesses on the test
database and the Redis at ``REDIS_URL_TEST``, with the test process's private storage.

Run as ``python -m tests.workers <celery worker options>`` it is such a worker, each of whose
certificate pages takes ``SLOW_PAGE_SECONDS`` longer, so that a test can stop it halfway
through a batch.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import kombu.pools

REDIS_URL_TEST = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
WORKER_OPTIONS = [
    "--loglevel=WARNING",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
]


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess working on the test database and the test Redis."""
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL_TEST,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "TEST_PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        **extra,
    }


class Worker:
    """A worker subprocess; its output goes to ``log``."""

    def __init__(self, log: Path, *, slow_page_seconds: float = 0, prefork: bool = False) -> None:
        """One process that runs the tasks itself (solo), or a parent with one child process
        running them (prefork, as in production)."""
        from django.conf import settings

        self.log = log
        self._out = log.open("wb")
        pool = ["--pool=prefork", "--concurrency=1"] if prefork else ["--pool=solo"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.workers", *pool, *WORKER_OPTIONS],
            cwd=settings.BASE_DIR,
            env=worker_env(SLOW_PAGE_SECONDS=str(slow_page_seconds)),
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, the task it held left with the broker."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._out.close()

    def children(self) -> list[int]:
        """The pids of its child processes (prefork)."""
        pid = self.process.pid
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in found]

    def stop(self) -> str:
        """Stop it (warm shutdown) and return what it printed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self._out.close()
        return self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def run_due_jobs(**extra: str) -> str:
    """``manage.py run_due_jobs`` in its own process (as cron or beat would run the sweeps)."""
    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "run_due_jobs"],
        cwd=settings.BASE_DIR,
        env=worker_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Inside the block the test process's Celery app publishes to ``url`` instead of running
    tasks eagerly. The app keeps its connection and producer pools for the URL they were made
    with, so both are dropped on the way in and on the way out."""
    from portal.celery import app

    def drop_pools() -> None:
        # Closes kombu's pools (kept per URL) and forgets the app's; Celery resets the same two
        # attributes after a fork and has no public way to.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    original = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=url)
    drop_pools()
    try:
        yield
    finally:
        app.conf.update(**original)
        drop_pools()


def wait_for(condition: Callable[[], bool], seconds: float = 45) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _slow_worker() -> None:
    import django

    django.setup()
    from designations import documents
    from portal.celery import app

    delay = float(os.environ.get("SLOW_PAGE_SECONDS") or 0)
    render = documents.certificate_page_pdf

    def slow(designation) -> bytes:
        time.sleep(delay)
        return render(designation)

    documents.certificate_page_pdf = slow
    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    _slow_worker()
