"""Two web nodes: two gunicorn servers of the portal, each its own process, on the same
PostgreSQL database and the same bucket of the S3 server (tests/objectstore.py), as
docker-compose.yml runs them behind nginx. A file uploaded through one downloads, byte for
byte, through the other; a refused upload leaves no object in the bucket."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from applications.models import Evidence
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.storage import FOLDER
from standards.models import Item
from tests.applications.files import PDF
from tests.clients import PortalClient
from tests.workers import worker_env

# Processes share the committed data: the test database is not rolled back under them.
pytestmark = pytest.mark.django_db(transaction=True)

START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """``gunicorn portal.wsgi`` on a loopback port, on the test database and bucket."""

    def __init__(self, name: str, folder: Path, **env: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{name}.log"
        self._out = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "portal.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=1",
                "--timeout=60",
                "--access-logfile=-",
            ],
            cwd=settings.BASE_DIR,
            # Downloads as in production without nginx: a presigned URL's redirect.
            env=worker_env(CELERY_TASK_ALWAYS_EAGER="1", PRIVATE_STORAGE_REDIRECT="1", **env),
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the portal at {self.base} did not start:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if not self._out.closed:
            self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, object_store):
    """Two nodes for the module's tests (they keep nothing between requests but the database
    and the bucket, which each test fills and empties)."""
    folder = tmp_path_factory.mktemp("nodes")
    started = [Node("node-a", folder), Node("node-b", folder)]
    try:
        for node in started:
            node.wait()
        yield started
    finally:
        for node in started:
            node.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Browser:
    """A logged-in browser's cookies, sent to whichever node it asks."""

    def __init__(self, session_key: str) -> None:
        self.csrf = secrets.token_hex(16)  # Django takes a 32-character secret as it is
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def get(self, url: str) -> "Answer":
        return _answer(urllib.request.Request(url, headers={"Cookie": self.cookie}))

    def upload(
        self, url: str, field: str, filename: str, content: bytes, **fields: str
    ) -> "Answer":
        boundary = uuid.uuid4().hex
        body = b""
        for key, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            ).encode()
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Cookie": self.cookie,
                "X-CSRFToken": self.csrf,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        return _answer(request)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _answer(request: urllib.request.Request) -> Answer:
    """The node's answer, read and closed (a redirect is not followed)."""
    try:
        response = _opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:  # a redirect not followed, or an error
        response = error
    with response:
        return Answer(response.status, dict(response.headers.items()), response.read())


def _browser_for(user) -> Browser:
    """A session of ``user`` in the shared database (what logging in on either node makes)."""
    client = PortalClient()
    client.force_login(user)
    return Browser(client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_file_uploaded_through_one_node_downloads_through_the_other(
    nodes, object_store, cast, application
):
    node_a, node_b = nodes
    browser = _browser_for(cast.county_a_applicant)
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="5.6")
    content = PDF + b"%" + os.urandom(4096).hex().encode() + b"\n"
    before = object_store.object_keys()

    answer = browser.upload(
        f"{node_a.base}/applications/{application.pk}/evidence/",
        "file",
        "工作总结.pdf",
        content,
        item=str(item.pk),
    )
    assert answer.status == 302, node_a.output()
    evidence = Evidence.objects.get(application=application)
    assert evidence.original_name == "工作总结.pdf"
    assert object_store.object_keys() - before == {f"{FOLDER}/{evidence.stored_name}"}

    # Node B hands it out: after the scope check and the audit entry, a redirect to a
    # short-lived presigned URL of the bucket, which gives the very bytes node A stored.
    url = f"{node_b.base}/applications/{application.pk}/evidence/{evidence.pk}/"
    answer = browser.get(url)
    assert answer.status == 302, node_b.output()
    location = answer.headers["Location"]
    assert location.startswith(f"{object_store.endpoint}/")
    assert "X-Amz-Signature=" in location
    with urllib.request.urlopen(location, timeout=30) as stored:
        assert stored.read() == content
        assert stored.headers["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.get(action=AuditAction.EVIDENCE_DOWNLOAD)
    assert (entry.actor_id, entry.details["bytes"]) == (cast.county_a_applicant.pk, len(content))

    # Another county's user asking node B gets 404 and no URL.
    other = _browser_for(cast.county_b_applicant)
    assert other.get(url).status == 404


def test_a_refused_upload_leaves_no_object(nodes, object_store, cast, application):
    node_a, node_b = nodes
    browser = _browser_for(cast.county_a_applicant)
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="5.6")
    before = object_store.object_keys()
    for node, name, content in (
        (node_a, "伪装.pdf", b"<html><script>alert(1)</script></html>"),
        (node_b, "坏文件.pdf", b"%PDF-1.4\n" + b"\x00" * 2048),
    ):
        answer = browser.upload(
            f"{node.base}/applications/{application.pk}/evidence/",
            "file",
            name,
            content,
            item=str(item.pk),
        )
        assert answer.status == 302, node.output()
        assert re.search(r"/applications/\d+/", answer.headers["Location"])
    assert not Evidence.objects.exists()
    assert object_store.object_keys() == before


class Nginx:
    """deploy/nginx.conf as it is, on loopback: its upstream the two nodes, its store the
    session's S3 server, plain HTTP instead of TLS (the only lines changed)."""

    def __init__(self, folder: Path, nodes: list[Node], store_endpoint: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = folder / "nginx"
        self.folder.mkdir()
        conf = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        for name, node in zip(("web1:8000", "web2:8000"), nodes, strict=True):
            conf = conf.replace(name, f"127.0.0.1:{node.port}")
        conf = conf.replace("seaweedfs:8333", store_endpoint.removeprefix("http://"))
        conf = conf.replace("listen 80;", f"listen 127.0.0.1:{_free_port()};")
        conf = conf.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.port};")
        conf = "\n".join(
            line for line in conf.splitlines() if not re.match(r"\s*(http2 |ssl_)", line)
        )
        temp = self.folder
        (self.folder / "nginx.conf").write_text(
            f"pid {temp}/nginx.pid;\nerror_log {temp}/error.log;\nevents {{}}\n"
            f"http {{\naccess_log {temp}/access.log;\n"
            f"client_body_temp_path {temp}/body;\nproxy_temp_path {temp}/proxy;\n"
            f"fastcgi_temp_path {temp}/fastcgi;\nuwsgi_temp_path {temp}/uwsgi;\n"
            f"scgi_temp_path {temp}/scgi;\n{conf}\n}}\n"
        )
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).is_file():
            raise RuntimeError("nginx is not installed: `make sysdeps-test` installs it.")
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(temp),
                "-e",
                str(temp / "error.log"),
                "-c",
                str(temp / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def errors(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace")[-4000:] if log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def behind_nginx(tmp_path, object_store):
    """The compose stack's front: nginx, two nodes handing files over with X-Accel-Redirect."""
    started = [
        Node(name, tmp_path, PRIVATE_STORAGE_ACCEL_PREFIX="/protected-s3/", TRUSTED_PROXY_COUNT="1")
        for name in ("node-a", "node-b")
    ]
    proxy = None
    try:
        for node in started:
            node.wait()
        proxy = Nginx(tmp_path, started, object_store.endpoint)
        yield proxy, started
    finally:
        if proxy is not None:
            proxy.stop()
        for node in started:
            node.stop()


def test_behind_nginx_either_node_hands_the_file_over_from_the_store(
    behind_nginx, object_store, cast, application
):
    proxy, (node_a, node_b) = behind_nginx
    browser = _browser_for(cast.county_a_applicant)
    item = Item.objects.get(section__version=application.cycle.criteria_version, code="5.6")
    content = PDF + b"%" + os.urandom(2048).hex().encode() + b"\n"
    answer = browser.upload(
        f"{proxy.base}/applications/{application.pk}/evidence/",
        "file",
        "工作总结.pdf",
        content,
        item=str(item.pk),
    )
    assert answer.status == 302, proxy.errors() + node_a.output()
    evidence = Evidence.objects.get(application=application)
    url = f"/applications/{application.pk}/evidence/{evidence.pk}/"
    # nginx takes turns: the two downloads are answered by both nodes, the bytes by the store.
    for _ in range(2):
        answer = browser.get(proxy.base + url)
        assert answer.status == 200, proxy.errors()
        assert answer.body == content
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"].startswith("attachment;")
        assert answer.headers["Content-Security-Policy"] == "sandbox"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Accel-Redirect" not in answer.headers
    for node in (node_a, node_b):
        assert f"GET {url} " in node.output()
    # The internal location is not a door of its own.
    direct = browser.get(f"{proxy.base}/protected-s3/{object_store_key(evidence)}")
    assert direct.status == 404
    assert direct.body != content


def object_store_key(evidence) -> str:
    from tests.objectstore import BUCKET

    return f"{BUCKET}/{FOLDER}/{evidence.stored_name}"
