"""Evidence files: deciding the type from the content, checking, and storing privately.

Nothing here trusts the file name or the browser's content type. A file is read in chunks
(memory does not grow with its size), hashed as it is copied into private storage under a
random name, and removed again if any check fails: a refused upload stores nothing.
"""

import hashlib
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from core.responses import disposition

from .enums import EVIDENCE_MIME, INLINE_KINDS, EvidenceKind

CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200
# Office files: refuse archives that would expand to more than this, or by more than this ratio.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 10_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 50 * 1024 * 1024))


def private_root() -> Path:
    root = Path(settings.PRIVATE_STORAGE_ROOT) / "evidence"
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    kind: str
    size: int
    sha256: str
    original_name: str

    def fields(self) -> dict[str, object]:
        """The values of a ``PrivateFile`` model's fields."""
        return {
            "original_name": self.original_name,
            "stored_name": self.stored_name,
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
        }


def clean_original_name(name: str) -> str:
    """The name as shown to users; refused if too long or carrying control characters or paths."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError(_("The file has no name."))
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("The file name is longer than %(max)d characters; shorten it and upload again.")
            % {"max": MAX_NAME_LENGTH}
        )
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name):
        raise ValidationError(_("The file name contains control characters; rename the file."))
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise ValidationError(_("The file name may not contain / or \\; rename the file."))
    return name


def _check_office_zip(path: Path) -> str:
    """DOCX or XLSX after checking the archive: no path tricks, no zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise ValidationError(_("The document contains too many parts."))
            total = 0
            for entry in entries:
                name = entry.filename
                if name.startswith(("/", "\\")) or ".." in Path(name.replace("\\", "/")).parts:
                    raise ValidationError(_("The document contains unsafe paths; it was refused."))
                total += entry.file_size
                if entry.compress_size and entry.file_size / entry.compress_size > ZIP_MAX_RATIO:
                    raise ValidationError(
                        _("The document expands to far more than its size (a zip bomb?).")
                    )
            if total > ZIP_MAX_UNCOMPRESSED:
                raise ValidationError(
                    _("The document expands to far more than its size (a zip bomb?).")
                )
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile:
        raise ValidationError(_("The document is damaged or not a Word/Excel file.")) from None
    if "[Content_Types].xml" not in names:
        raise ValidationError(_("The file is a zip archive, not a Word or Excel document."))
    if "word/document.xml" in names:
        return EvidenceKind.DOCX
    if "xl/workbook.xml" in names:
        return EvidenceKind.XLSX
    raise ValidationError(_("Only Word (DOCX) and Excel (XLSX) documents are accepted."))


def sniff_kind(head: bytes, path: Path) -> str:
    """The evidence type from the first bytes (and, for office files, the archive's contents)."""
    if head.startswith(b"%PDF-"):
        return EvidenceKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceKind.JPEG
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return EvidenceKind.MP4
    if head.startswith(b"PK\x03\x04"):
        return _check_office_zip(path)
    raise ValidationError(
        _(
            "This file is not an accepted type. Accepted: PDF, JPEG, PNG, Word (DOCX), "
            "Excel (XLSX) and MP4 video; the type is read from the file's content."
        )
    )


def store_upload(upload: UploadedFile) -> StoredFile:
    """Check ``upload`` and copy it into private storage; on ValidationError nothing is stored."""
    original_name = clean_original_name(upload.name)
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_large(limit))
    stored_name = secrets.token_hex(20)
    target = private_root() / stored_name
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with target.open("xb") as out:
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationError(_too_large(limit))
                if len(head) < 16:
                    head = (head + chunk)[:16]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError(_("The file is empty."))
        kind = sniff_kind(head, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name, kind, size, digest.hexdigest(), original_name)


def stored_path(stored_name: str) -> Path:
    return private_root() / stored_name


def private_file_response(file, *, inline: bool = False) -> HttpResponse:
    """Serve a ``PrivateFile`` after the caller checked the user's scope.

    An attachment by default (inline only for types a browser shows safely), ``nosniff``, not
    cached; behind nginx the file is handed over with ``X-Accel-Redirect``.
    """
    content_type = EVIDENCE_MIME[file.kind]
    inline = inline and file.kind in INLINE_KINDS
    if settings.PRIVATE_STORAGE_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        prefix = settings.PRIVATE_STORAGE_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/evidence/{file.stored_name}"
    else:
        path = stored_path(file.stored_name)
        if not path.exists():
            raise Http404
        response = FileResponse(path.open("rb"), content_type=content_type)
    disposition(response, filename=file.original_name, inline=inline)
    response["Cache-Control"] = "private, no-store"
    return response


def discard(stored_name: str) -> None:
    """Remove a stored file (used when the database write after storing fails)."""
    stored_path(stored_name).unlink(missing_ok=True)


def _too_large(limit: int) -> str:
    return _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the evidence limit (nothing reaches disk)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes() + CHUNK:
            # The view reads this flag to say "too large" rather than "no file".
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
