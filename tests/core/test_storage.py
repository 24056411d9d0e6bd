"""Private storage (core/storage.py): the same calls on a folder and on the object store, and
the three ways a download leaves: streamed, X-Accel-Redirect, a presigned URL's redirect."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from core.storage import (
    FOLDER,
    is_object_store,
    private_delete,
    private_download,
    private_exists,
    private_names,
    private_read,
    private_save,
    private_storage,
)
from tests.objectstore import BUCKET

# A response's close() ends the request, which closes the database connections.
pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _exercise() -> None:
    """Save, read, list, delete: what every caller of private storage relies on."""
    name = os.urandom(20).hex()
    assert not private_exists(name)
    private_save(name, PDF_BYTES)
    assert private_exists(name)
    assert name in private_names()
    assert private_read(name) == PDF_BYTES
    assert private_storage().size(f"{FOLDER}/{name}") == len(PDF_BYTES)
    private_delete(name)
    private_delete(name)  # already gone: nothing happens
    assert not private_exists(name)
    assert name not in private_names()
    with pytest.raises(FileNotFoundError):
        private_read(name)


def test_the_suite_stores_in_the_object_store(object_store):
    assert is_object_store()
    name = os.urandom(20).hex()
    private_save(name, PDF_BYTES)
    assert f"{FOLDER}/{name}" in object_store.object_keys()
    private_delete(name)
    assert f"{FOLDER}/{name}" not in object_store.object_keys()
    _exercise()


def test_a_folder_behaves_the_same(local_storage):
    assert not is_object_store()
    _exercise()
    name = os.urandom(20).hex()
    private_save(name, PDF_BYTES)
    assert (local_storage / FOLDER / name).read_bytes() == PDF_BYTES
    # A name already taken is refused, and the first file kept (the folder would rename).
    with pytest.raises(FileExistsError):
        private_save(name, b"other")
    assert private_read(name) == PDF_BYTES
    assert private_names() == {name}


@pytest.mark.parametrize("bad", ["", "../x", "evidence/x", ".", ".."])
def test_a_stored_name_is_never_a_path(bad):
    with pytest.raises(ValueError, match="not a stored name"):
        private_save(bad, b"x")


def _streamed(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()  # as the WSGI server does


@override_settings(PRIVATE_STORAGE_REDIRECT=False, PRIVATE_STORAGE_ACCEL_PREFIX="")
def test_streamed_from_the_object_store():
    name = os.urandom(20).hex()
    private_save(name, PDF_BYTES)
    response = private_download(name, filename="报告.pdf", content_type="application/pdf")
    assert response.status_code == 200
    assert _streamed(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]


@override_settings(PRIVATE_STORAGE_REDIRECT=True, PRIVATE_STORAGE_ACCEL_PREFIX="")
def test_redirected_to_a_short_lived_presigned_url(object_store):
    name = os.urandom(20).hex()
    private_save(name, PDF_BYTES)
    response = private_download(
        name, filename="报告.pdf", content_type="application/pdf", inline=True, size=9
    )
    assert response.status_code == 302
    assert response.file_size == 9  # what the audit trail records
    url = response["Location"]
    assert url.startswith(f"{object_store.endpoint}/{BUCKET}/{FOLDER}/{name}?")
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == [str(settings.PRIVATE_S3_URL_SECONDS)]
    with urllib.request.urlopen(url) as got:
        assert got.read() == PDF_BYTES
        # The store answers with the type, the name and no-store, as the portal would.
        assert got.headers["Content-Type"] == "application/pdf"
        assert got.headers["Content-Disposition"].startswith("inline;")
        assert "%E6%8A%A5%E5%91%8A.pdf" in got.headers["Content-Disposition"]
        assert got.headers["Cache-Control"] == "private, no-store"
    # The signature covers the key and the answer's headers: another file, or another name, is
    # refused; so is the object without any signature.
    for forged in (
        url.replace(name, "0" * 40),
        url.replace("inline", "attachment"),
        url.split("?")[0],
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged)
        refused.value.close()
        assert refused.value.code == 403


def test_a_missing_file_is_404_when_streamed(local_storage):
    from django.http import Http404

    with pytest.raises(Http404):
        private_download("0" * 40, filename="a.pdf", content_type="application/pdf")


def _settings_check(**env: str) -> subprocess.CompletedProcess:
    """Import the production settings in a new process with ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRIVATE_")}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DEBUG="1", **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['private']['BACKEND'])",
        ],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_backend_is_configuration():
    local = _settings_check()
    assert local.stdout.strip() == "django.core.files.storage.FileSystemStorage", local.stderr
    s3 = _settings_check(PRIVATE_STORAGE="s3", PRIVATE_S3_BUCKET="files")
    assert s3.stdout.strip() == "storages.backends.s3.S3Storage", s3.stderr
    missing = _settings_check(PRIVATE_STORAGE="s3")
    assert missing.returncode != 0
    assert "PRIVATE_S3_BUCKET" in missing.stderr
    unknown = _settings_check(PRIVATE_STORAGE="ftp")
    assert unknown.returncode != 0
    assert "PRIVATE_STORAGE must be local or s3" in unknown.stderr
    seconds = _settings_check(PRIVATE_S3_URL_SECONDS="0")
    assert "PRIVATE_S3_URL_SECONDS must be between 1 and 3600" in seconds.stderr


def test_an_object_store_that_does_not_start_fails_the_run_with_its_log(tmp_path, monkeypatch):
    from tests import objectstore

    weed = tmp_path / "weed"
    weed.write_text(
        "#!/bin/sh\necho 'listen tcp 127.0.0.1:8333: bind: address already in use'\nexit 1\n"
    )
    weed.chmod(0o755)
    monkeypatch.setattr(objectstore, "weed_binary", lambda: str(weed))
    with pytest.raises(RuntimeError, match="exited with status 1") as failed:
        objectstore.SeaweedFS(tmp_path).start()
    assert "address already in use" in str(failed.value)
