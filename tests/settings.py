"""Test settings: production settings with fast, local parts (see house style §22)."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("REDIS_URL", "")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

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
}
# A real worker started by a test shares the test process's private storage (the files it
# renders are read back by the test, and a second worker resumes from the first one's pages).
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
