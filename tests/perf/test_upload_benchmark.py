"""Benchmark: a 50 MB evidence upload through the real view (run with `make bench`).

Memory is sampled from the process's resident set while the request runs; the request body is
read from a file on disk, as a WSGI server would stream it, so only the server side counts.
The same file through a bare view that only reads the upload gives the baseline throughput.
Results go to docs/benchmarks.md; nothing here asserts a time.
"""

import io
import os
import struct
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core import signals
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import override_settings

from applications.models import Evidence
from standards.models import Item

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

SIZE = 50 * 1024 * 1024 - 4096
BOUNDARY = "----portalbench"


def _rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _body_file(item_id: int | None) -> tuple[str, int]:
    handle, path = tempfile.mkstemp(prefix="bench-upload-")
    with os.fdopen(handle, "wb") as out:
        if item_id is not None:
            field = f'Content-Disposition: form-data; name="item"\r\n\r\n{item_id}\r\n'
            out.write(f"--{BOUNDARY}\r\n{field}".encode())
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="video.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n".encode()
        )
        # A clean run of boxes, as the MP4 check wants: ftyp, an empty moov, then mdat to the end.
        ftyp = struct.pack(">I4s4sI8s", 24, b"ftyp", b"mp42", 0, b"mp42isom")
        moov = struct.pack(">I4s", 8, b"moov")
        head = ftyp + moov + struct.pack(">I4s", SIZE - len(ftyp) - len(moov), b"mdat")
        out.write(head)
        block = os.urandom(1024 * 1024)
        written = len(head)
        while written < SIZE:
            part = block[: min(len(block), SIZE - written)]
            out.write(part)
            written += len(part)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path, os.path.getsize(path)


def _run(path: str, length: int, url: str, cookies: dict[str, str], csrf: str) -> dict:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": url,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "https",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "HTTP_X_CSRFTOKEN": csrf,
        "HTTP_REFERER": "https://localhost/",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_bytes())
            time.sleep(0.005)

    handler = WSGIHandler()
    # As Django's test client does: the test's database connection must survive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return _measure(handler, environ, path, length, status, peak, done, sample)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _measure(handler, environ, path, length, status, peak, done, sample) -> dict:
    with open(path, "rb") as body:
        environ["wsgi.input"] = io.BufferedReader(body)
        baseline = _rss_bytes()
        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        result = handler(environ, lambda s, h: status.append(s))
        b"".join(result)
        result.close()  # as a WSGI server does: closes the request's temporary files
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    return {
        "status": status[0],
        "seconds": elapsed,
        "mb_per_s": length / elapsed / 2**20,
        "rss_growth_mb": max(0, peak[0] - baseline) / 2**20,
    }


def _store_warm_up() -> None:
    """The store's client, its connection and the multipart path made once before measuring
    (what the first upload of a process pays, not what an upload costs)."""
    storage = storages["private"]
    name = storage.save("bench/warm-up.bin", ContentFile(b"\0" * (6 * 1024 * 1024)))
    storage.delete(name)


@override_settings(ROOT_URLCONF="tests.perf.urls", ALLOWED_HOSTS=["localhost"])
def test_upload_50mb_through_the_real_view(client, cast, application):
    client.force_login(cast.county_a_applicant)
    session = SimpleCookie(client.cookies)[settings.SESSION_COOKIE_NAME].value
    csrf = _get_new_csrf_string()
    cookies = {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf}
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="5.2")

    bare_path, bare_length = _body_file(None)
    real_path, real_length = _body_file(item.pk)
    try:
        _run(bare_path, bare_length, "/bench/bare-upload/", cookies, csrf)  # warm-up
        _store_warm_up()
        bare = _run(bare_path, bare_length, "/bench/bare-upload/", cookies, csrf)
        real = _run(
            real_path, real_length, f"/applications/{application.pk}/evidence/", cookies, csrf
        )
    finally:
        os.unlink(bare_path)
        os.unlink(real_path)

    evidence = Evidence.objects.get(application=application)
    assert real["status"].startswith("302")
    assert evidence.size == SIZE
    print(
        f"\n50 MB upload  real view: {real['seconds']:.2f} s, {real['mb_per_s']:.0f} MB/s, "
        f"peak RSS growth {real['rss_growth_mb']:.1f} MB"
        f"\n50 MB upload  bare view: {bare['seconds']:.2f} s, {bare['mb_per_s']:.0f} MB/s, "
        f"peak RSS growth {bare['rss_growth_mb']:.1f} MB"
    )
