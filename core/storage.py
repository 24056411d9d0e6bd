"""Private storage: every file the portal keeps (evidence, minutes, scans, photos, certificate
pages and batches) is written, read, removed and handed out here, through Django's storage
API (``STORAGES["private"]``), never by a path on disk.

The backend is configuration (portal/settings.py, ``PRIVATE_STORAGE``): a folder
(``FileSystemStorage`` under ``PRIVATE_STORAGE_ROOT``) on one machine, an S3-compatible object
store (django-storages' ``S3Storage``) when several web nodes share the files. Code above this
module does not know which. Every file sits under ``FOLDER`` with a random name; a model keeps
the random part (``stored_name``), and ``private_name`` makes the storage's name of it.

A model that needs a Django ``FileField`` instead declares it with ``storage=private_storage``
(the callable, so the backend is looked up when used and tests can swap it).

Downloads (``private_download``), after the caller checked the user's scope and audited it:

- a folder, behind nginx (``PRIVATE_STORAGE_ACCEL_PREFIX``): ``X-Accel-Redirect`` to the file
  under that internal prefix (nginx reads it from the shared folder);
- an object store, behind nginx (the same setting): ``X-Accel-Redirect`` to a short-lived
  presigned URL's path and query under that prefix, which nginx proxies to the object store
  (the browser never sees the store);
- an object store without nginx: a redirect to a short-lived presigned URL
  (``PRIVATE_S3_URL_SECONDS``) that names the type and the file, or, with
  ``PRIVATE_STORAGE_REDIRECT=0``, the bytes streamed through the portal;
- a folder without nginx: the bytes streamed.
"""

from collections.abc import Iterable
from typing import IO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from .responses import disposition

# Every private file's folder (the name is historical: evidence came first).
FOLDER = "evidence"


def private_storage() -> Storage:
    """The storage of private files (``STORAGES["private"]``); usable as a FileField's
    ``storage=`` (a callable: looked up when used)."""
    return storages["private"]


def private_name(stored_name: str) -> str:
    """The storage's name of a file kept under the random ``stored_name``."""
    if not stored_name or "/" in stored_name or stored_name in {".", ".."}:
        raise ValueError(f"not a stored name: {stored_name!r}")
    return f"{FOLDER}/{stored_name}"


def is_object_store(storage: Storage | None = None) -> bool:
    """Whether private files live in an S3-compatible object store (not a folder)."""
    storage = storage or private_storage()
    return hasattr(storage, "bucket_name")


def private_save(stored_name: str, content: bytes | IO[bytes] | File) -> None:
    """Store ``content`` as ``stored_name``. Callers record the name in the database only
    after this returns, so no reader finds a file half written. Raises if the storage would
    have stored it under another name (a name already taken)."""
    if isinstance(content, bytes):
        content = ContentFile(content)
    elif not isinstance(content, File):
        content = File(content)
    name = private_name(stored_name)
    saved = private_storage().save(name, content)
    if saved != name:
        private_storage().delete(saved)
        raise FileExistsError(name)


def private_open(stored_name: str) -> File:
    """The stored file, open for reading (FileNotFoundError when absent)."""
    return private_storage().open(private_name(stored_name), "rb")


def private_read(stored_name: str) -> bytes:
    with private_open(stored_name) as handle:
        return handle.read()


def private_exists(stored_name: str) -> bool:
    return private_storage().exists(private_name(stored_name))


def private_delete(stored_name: str) -> None:
    """Remove a stored file; nothing happens when it is already gone."""
    private_storage().delete(private_name(stored_name))


def private_delete_all(stored_names: Iterable[str]) -> None:
    for stored_name in stored_names:
        private_delete(stored_name)


def private_names() -> set[str]:
    """The stored names of every private file (for checks and the tests)."""
    try:
        _folders, files = private_storage().listdir(FOLDER)
    except FileNotFoundError:
        return set()
    return set(files)


def private_download(
    stored_name: str,
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    size: int | None = None,
) -> HttpResponse:
    """Hand the stored file to the browser as ``filename`` (see the module's docstring for
    how); ``nosniff`` always. ``size`` is what the audit trail records for a response that
    carries no bytes itself (a redirect); Http404 when the file is gone."""
    storage = private_storage()
    name = private_name(stored_name)
    prefix = settings.PRIVATE_STORAGE_ACCEL_PREFIX.rstrip("/")
    if is_object_store(storage):
        if prefix or settings.PRIVATE_STORAGE_REDIRECT:
            url = _presigned_url(storage, name, filename, content_type, inline)
            if prefix:
                response = HttpResponse(content_type=content_type)
                parts = urlsplit(url)
                response["X-Accel-Redirect"] = f"{prefix}{parts.path}?{parts.query}"
            else:
                response = HttpResponseRedirect(url)
                response["Content-Type"] = content_type
            response.file_size = size
            return disposition(response, filename=filename, inline=inline)
    elif prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix}/{name}"
        response.file_size = size
        return disposition(response, filename=filename, inline=inline)
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    if "Content-Length" not in response and size is not None:
        response["Content-Length"] = str(size)
    return disposition(response, filename=filename, inline=inline)


def _presigned_url(storage, name: str, filename: str, content_type: str, inline: bool) -> str:
    """A GET of the object, valid ``PRIVATE_S3_URL_SECONDS``, whose answer carries the type,
    the file's name and ``no-store`` (the object store sets them from the signed query)."""
    return storage.url(
        name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(
                as_attachment=not inline, filename=filename
            ),
            "ResponseCacheControl": "private, no-store",
        },
        expire=settings.PRIVATE_S3_URL_SECONDS,
    )
