"""Uploaded files: deciding the type from the content, checking it, and storing privately.

Nothing here trusts the file name or the browser's content type. A file is read in chunks
(memory does not grow with its size), hashed as it is copied into a temporary file on this
machine, checked there, and only then written to private storage (``core.storage``: a folder
or an object store) under a random name: a refused upload stores nothing. The type
comes from the first bytes; then the name's extension must agree, the use must accept that
type, clamd (when configured) must find it clean, and the content must pass its type's check
(``applications.filechecks``). Images are stored as re-encoded from their pixels.
"""

import hashlib
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.storage import private_delete, private_download, private_save

from .antivirus import clamd_scan
from .enums import EVIDENCE_KINDS, EVIDENCE_MIME, INLINE_KINDS, KIND_EXTENSIONS, EvidenceKind
from .filechecks import (
    check_mp4,
    check_office_zip,
    check_pdf,
    reencode_image,
)

CHUNK = 64 * 1024
MAX_NAME_LENGTH = 200
# Office archives: DOCX or XLSX, told apart by their contents.
OFFICE_KINDS = (EvidenceKind.DOCX, EvidenceKind.XLSX)
ZIP = "zip"
KIND_LABELS = {
    EvidenceKind.PDF: "PDF",
    EvidenceKind.JPEG: "JPEG",
    EvidenceKind.PNG: "PNG",
    EvidenceKind.DOCX: gettext_lazy("Word (DOCX)"),
    EvidenceKind.XLSX: gettext_lazy("Excel (XLSX)"),
    EvidenceKind.MP4: "MP4",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 50 * 1024 * 1024))


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    kind: str
    size: int
    sha256: str
    original_name: str
    # The content passed its type's checks (all files stored by ``store_upload`` have).
    checked: bool = True

    def fields(self) -> dict[str, object]:
        """The values of a ``PrivateFile`` model's fields."""
        return {
            "original_name": self.original_name,
            "stored_name": self.stored_name,
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
            "checked": self.checked,
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


def accept_attribute(kinds: Iterable[str]) -> str:
    """The HTML ``accept`` attribute for a file input taking ``kinds``."""
    extensions = [ext for kind in kinds for ext in KIND_EXTENSIONS[kind]]
    return ",".join([*extensions, *dict.fromkeys(EVIDENCE_MIME[kind] for kind in kinds)])


def kinds_label(kinds: Iterable[str]) -> str:
    """``PDF, JPEG, PNG`` in the reader's language."""
    return pgettext("separator of a list of file types", ", ").join(
        str(KIND_LABELS[kind]) for kind in kinds
    )


def _magic(head: bytes) -> str:
    """The type the first bytes claim (``ZIP`` for an office archive, not yet told apart)."""
    if head.startswith(b"%PDF-"):
        return EvidenceKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceKind.JPEG
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return EvidenceKind.MP4
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    return ""


def _not_accepted(kinds: Iterable[str]) -> ValidationError:
    return ValidationError(
        _(
            "This file is not an accepted type here. Accepted: %(kinds)s; the type is read "
            "from the file's content."
        )
        % {"kinds": kinds_label(kinds)}
    )


def _check_extension(name: str, kind: str) -> None:
    """The name must end in an extension of the type the content has."""
    extension = Path(name).suffix.lower()
    if extension in KIND_EXTENSIONS[kind]:
        return
    label, right = str(KIND_LABELS[kind]), KIND_EXTENSIONS[kind][0]
    if not extension:
        raise ValidationError(
            _("The file name has no extension; its content is %(kind)s, so name it “…%(ext)s”.")
            % {"kind": label, "ext": right}
        )
    raise ValidationError(
        _(
            "The file name ends in “%(found)s” but its content is %(kind)s; name it "
            "“…%(ext)s” or upload the right file."
        )
        % {"found": extension[:20], "kind": label, "ext": right}
    )


def _check_content(path: Path, name: str, claimed: str, kinds: tuple[str, ...]) -> str:
    """The checked type of the file at ``path``; ValidationError with the reason otherwise.

    The cheap checks first (the type the first bytes claim, the use, the extension), then the
    virus scan, and only then the parsers read the file.
    """
    if claimed == ZIP:
        if not set(OFFICE_KINDS) & set(kinds):
            raise _not_accepted(kinds)
    elif not claimed or claimed not in kinds:
        raise _not_accepted(kinds)
    else:
        _check_extension(name, claimed)
    clamd_scan(path)
    if claimed == ZIP:
        kind = check_office_zip(path)
        if kind not in kinds:
            raise _not_accepted(kinds)
        _check_extension(name, kind)
        return kind
    if claimed == EvidenceKind.PDF:
        check_pdf(path)
    elif claimed == EvidenceKind.MP4:
        check_mp4(path)
    return claimed


def store_upload(upload: UploadedFile, *, kinds: tuple[str, ...] = EVIDENCE_KINDS) -> StoredFile:
    """Check ``upload`` and copy it into private storage; on ValidationError nothing is stored.

    ``kinds`` are the types the field accepts (``applications.enums``: ``EVIDENCE_KINDS``,
    ``MINUTES_KINDS``, ``SCAN_KINDS``, ``PHOTO_KINDS``). The error names the file. JPEG and PNG
    are stored re-encoded (the hash and size are those of the stored bytes).
    """
    try:
        return _store(upload, tuple(kinds))
    except ValidationError as error:
        raise ValidationError(
            _("“%(name)s” was not stored: %(reason)s")
            % {"name": _shown_name(upload.name), "reason": " ".join(error.messages)}
        ) from None


def _shown_name(name: str | None) -> str:
    shown = "".join(c for c in (name or "") if unicodedata.category(c)[0] != "C")
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _store(upload: UploadedFile, kinds: tuple[str, ...]) -> StoredFile:
    original_name = clean_original_name(upload.name)
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_large(limit))
    digest = hashlib.sha256()
    size = 0
    head = b""
    # Checked on this machine (the parsers and clamd read a file), stored once it passed.
    with tempfile.NamedTemporaryFile(prefix="upload-", dir=settings.FILE_UPLOAD_TEMP_DIR) as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ValidationError(_too_large(limit))
            if len(head) < 16:
                head = (head + chunk)[:16]
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        if size == 0:
            raise ValidationError(_("The file is empty."))
        checked = Path(out.name)
        kind = _check_content(checked, original_name, _magic(head), kinds)
        stored_name = secrets.token_hex(20)
        if kind in (EvidenceKind.JPEG, EvidenceKind.PNG):
            content = reencode_image(checked, kind)
            size, digest = len(content), hashlib.sha256(content)
            private_save(stored_name, content)
        else:
            out.seek(0)
            private_save(stored_name, out)
    return StoredFile(stored_name, kind, size, digest.hexdigest(), original_name)


def private_file_response(file, *, inline: bool = False) -> HttpResponse:
    """Serve a ``PrivateFile`` after the caller checked the user's scope.

    An attachment by default; ``inline`` is honoured only for images and PDFs whose content
    was checked when stored (``checked``: re-encoded images, parsed script-free PDFs). The
    Content-Type is the detected type's, never guessed from the name; ``nosniff``, a
    ``sandbox`` content security policy (no script runs, no same-origin access, whatever the
    file turns out to hold), not cached. How the bytes travel (streamed, ``X-Accel-Redirect``
    for nginx, a presigned URL of the object store) is ``core.storage.private_download``'s;
    deploy/nginx.conf repeats these headers on its internal locations.
    """
    content_type = EVIDENCE_MIME[file.kind]
    inline = inline and file.kind in INLINE_KINDS and bool(getattr(file, "checked", False))
    response = private_download(
        file.stored_name,
        filename=file.original_name,
        content_type=content_type,
        inline=inline,
        size=file.size,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def discard(stored_name: str) -> None:
    """Remove a stored file (used when the database write after storing fails)."""
    private_delete(stored_name)


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
