"""Test settings: production settings with fast, local parts (see house style §22)."""

import os
import tempfile

from tests import objectstore

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("REDIS_URL", "")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
# Private files in a bucket of a real S3 server (tests/objectstore.py), started for the session
# by tests/conftest.py, which sets the endpoint here and in the environment of subprocesses.
# Nothing answers at this placeholder: a file stored before the server is up fails loudly.
os.environ["PRIVATE_STORAGE"] = "s3"
os.environ.setdefault("PRIVATE_S3_ENDPOINT_URL", "http://127.0.0.1:9")
os.environ.setdefault("PRIVATE_S3_BUCKET", objectstore.BUCKET)
os.environ.setdefault("PRIVATE_S3_ACCESS_KEY", objectstore.ACCESS_KEY)
os.environ.setdefault("PRIVATE_S3_SECRET_KEY", objectstore.SECRET_KEY)
# Downloads streamed, so the tests read the bytes from the response; the presigned redirect and
# X-Accel-Redirect have their own tests (tests/core/test_storage.py, the two-node test).
os.environ.setdefault("PRIVATE_STORAGE_REDIRECT", "0")

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES, STORAGES

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The tests run on PostgreSQL only (DATABASE_URL).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The Celery integration test's worker writes mail to files the test reads.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # portal/settings.py's S3 storage, with its options, remembering what each test stored.
    "private": {**STORAGES["private"], "BACKEND": "tests.objectstore.TrackedS3Storage"},
}
# The folder of the tests of the local backend (the suite's files are in the bucket).
PRIVATE_STORAGE_ROOT = os.environ.get("TEST_PRIVATE_STORAGE_ROOT") or tempfile.mkdtemp(
    prefix="portal-private-"
)
# Eager in the test process; the integration test's real worker runs with "0".
CELERY_TASK_ALWAYS_EAGER = os.environ["CELERY_TASK_ALWAYS_EAGER"] == "1"
CELERY_TASK_EAGER_PROPAGATES = True
LANGUAGE_CODE = "zh-hans"
# WhiteNoise warns when the collected static folder is missing; tests serve nothing from it.
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-static-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The virus scan is off; the tests that need it run a fake clamd and point this at it.
CLAMD_SOCKET = ""


def _redis_of_this_worker() -> None:
    """Each process of a parallel run (pytest-xdist's gw0, gw1, …) has a Redis database of its
    own: ``REDIS_URL_TEST``'s for the first, the ones below it for the others, since the Celery
    tests empty theirs. Subprocesses inherit the result and leave it as it is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("REDIS_URL_TEST_WORKER") == worker:
        return
    base, _, number = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15").rpartition("/")
    index = int(worker.removeprefix("gw"))
    if not number.isdigit() or int(number) < index:
        raise RuntimeError(f"REDIS_URL_TEST must end in a database number ≥ {index}.")
    os.environ["REDIS_URL_TEST"] = f"{base}/{int(number) - index}"
    os.environ["REDIS_URL_TEST_WORKER"] = worker


_redis_of_this_worker()
