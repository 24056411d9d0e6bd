"""What an uploaded file really is: each accepted type is checked by reading all of it.

The first bytes only say what a file claims to be. Here images are decoded completely and
re-encoded from their pixels (nothing after the image, no metadata), PDFs are parsed and
refused when they carry scripts, automatic actions or embedded files, Word/Excel archives are
inflated as streams whatever their headers say, and MP4 files must be a clean run of boxes.
Each check raises ``ValidationError`` with the reason; none of them writes anything.
"""

import io
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .enums import EvidenceKind

CHUNK = 64 * 1024
# Images: a 48-megapixel phone photo passes; past this the decoded pixels would take hundreds
# of megabytes (a decompression bomb). Below Pillow's own warning limit (89 million).
IMAGE_MAX_PIXELS = 64_000_000
# Office files: refuse archives that expand to more than this, or by more than this ratio;
# an archive or an entry expanding to less than RATIO_FLOOR is never a bomb.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 10_000
RATIO_FLOOR = 1024 * 1024

# The EXIF tag saying how a camera held the photo.
ORIENTATION = 0x0112
KEEP_QUALITY = {"quality": "keep", "subsampling": "keep"}
PIL_FORMATS = {EvidenceKind.JPEG: "JPEG", EvidenceKind.PNG: "PNG"}


def _bomb() -> ValidationError:
    return ValidationError(_("The document expands to far more than its size (a zip bomb?)."))


# Images -------------------------------------------------------------------------------------


def reencode_image(path: Path, kind: str) -> bytes:
    """The image at ``path`` decoded completely and encoded again from its pixels.

    Refused when it does not decode to the end (truncated, corrupt, something else behind an
    image signature) or has more than ``IMAGE_MAX_PIXELS``. The result has no trailing bytes
    and no metadata (EXIF with its GPS position, comments, XMP, colour profiles); a photo's
    EXIF orientation is applied to the pixels first, so it still shows upright.
    """
    from PIL import Image, ImageOps, JpegImagePlugin

    damaged = ValidationError(
        _("The image is damaged or incomplete (it does not decode to the end).")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # verify() reads every chunk and its checksum; the image must be opened again after.
            with Image.open(path, formats=[PIL_FORMATS[kind]]) as probe:
                _check_pixels(probe.size)
                probe.verify()
            with Image.open(path, formats=[PIL_FORMATS[kind]]) as image:
                _check_pixels(image.size)
                image.load()
                turned = image.getexif().get(ORIENTATION, 1) not in (0, 1)
                upright = ImageOps.exif_transpose(image) if turned else image
                transparency = image.info.get("transparency")
                out = io.BytesIO()
                if kind == EvidenceKind.JPEG:
                    keep = not turned and isinstance(image, JpegImagePlugin.JpegImageFile)
                    # The original's quantisation when the pixels are unchanged: no extra loss.
                    options = KEEP_QUALITY if keep else {"quality": 90}
                    upright.info = {}
                    upright.save(out, format="JPEG", **options)
                else:
                    upright.info = {}
                    options = {} if transparency is None else {"transparency": transparency}
                    upright.save(out, format="PNG", **options)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError):
        raise damaged from None
    return out.getvalue()


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > IMAGE_MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has more than %(mp)d million pixels; reduce its size and upload it again.")
        % {"mp": IMAGE_MAX_PIXELS // 1_000_000}
    )


# PDF ----------------------------------------------------------------------------------------

# Keys that make a reader run something or carry other files, wherever they appear.
PDF_FORBIDDEN_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "OpenAction",
    "/AA": "AA",
    "/Launch": "Launch",
    "/EmbeddedFiles": "EmbeddedFiles",
    "/EmbeddedFile": "EmbeddedFile",
    "/EF": "EmbeddedFile",
    "/XFA": "XFA",
}
# Names that, as a value (an action's /S, an object's /Type or /Subtype), mean the same.
PDF_FORBIDDEN_NAMES = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/EmbeddedFile": "EmbeddedFile",
    "/FileAttachment": "EmbeddedFile",
    "/RichMedia": "RichMedia",
}


def check_pdf(path: Path) -> None:
    """Parse the PDF; refused when it does not parse or has active content or attachments.

    Every object of the document is looked at (not only the catalogue), with the direct
    dictionaries and arrays inside it: a script hidden in a page's annotation or in the name
    tree is found as surely as one in ``/OpenAction``.
    """
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            found = _pdf_active_content(pdf, pikepdf)
    except pikepdf.PasswordError:
        raise ValidationError(
            _("The PDF is protected by a password; upload it without the password.")
        ) from None
    except (pikepdf.PdfError, pikepdf.DataDecodingError, ValueError, RuntimeError):
        raise ValidationError(_("The PDF is damaged and cannot be read.")) from None
    if found:
        raise ValidationError(
            _(
                "The PDF contains scripts, automatic actions or embedded files (%(found)s); "
                "save or print it again as a plain PDF and upload that."
            )
            % {"found": ", ".join(sorted(found))}
        )


def _pdf_active_content(pdf, pikepdf) -> set[str]:
    found: set[str] = set()
    stack = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key in obj.keys():  # noqa: SIM118 (a pikepdf dictionary iterates differently)
                if key in PDF_FORBIDDEN_KEYS:
                    found.add(PDF_FORBIDDEN_KEYS[key])
                value = obj.get(key)
                if isinstance(value, pikepdf.Name) and str(value) in PDF_FORBIDDEN_NAMES:
                    found.add(PDF_FORBIDDEN_NAMES[str(value)])
                elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                    value.is_indirect
                ):
                    stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                if isinstance(value, pikepdf.Name) and str(value) in PDF_FORBIDDEN_NAMES:
                    found.add(PDF_FORBIDDEN_NAMES[str(value)])
                elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                    value.is_indirect
                ):
                    stack.append(value)
    return found


# Word and Excel -----------------------------------------------------------------------------

LOCAL_HEADER = struct.Struct("<4s22xHH")


def check_office_zip(path: Path) -> str:
    """DOCX or XLSX after checking the archive: no path tricks, no encryption, no zip bomb.

    Each entry is inflated from its own bytes in the file, counting what comes out: the sizes
    written in the zip headers are compared with what was found, never trusted. Memory stays
    at a few chunks whatever the archive claims.
    """
    archive_size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise ValidationError(_("The document contains too many parts."))
            names: set[str] = set()
            for entry in entries:
                name = entry.filename
                if name.startswith(("/", "\\")) or ".." in Path(name.replace("\\", "/")).parts:
                    raise ValidationError(_("The document contains unsafe paths; it was refused."))
                if name in names:
                    raise _damaged_office()
                names.add(name)
            budget = ZIP_MAX_UNCOMPRESSED
            if archive_size * ZIP_MAX_RATIO > RATIO_FLOOR:
                budget = min(budget, archive_size * ZIP_MAX_RATIO)
            else:
                budget = min(budget, RATIO_FLOOR)
            total = 0
            with path.open("rb") as raw:
                for entry in entries:
                    total += _inflated_size(raw, entry, archive_size, budget - total)
    except zipfile.BadZipFile:
        raise _damaged_office() from None
    if "[Content_Types].xml" not in names:
        raise ValidationError(_("The file is a zip archive, not a Word or Excel document."))
    if "word/document.xml" in names:
        return EvidenceKind.DOCX
    if "xl/workbook.xml" in names:
        return EvidenceKind.XLSX
    raise ValidationError(_("Only Word (DOCX) and Excel (XLSX) documents are accepted."))


def _damaged_office() -> ValidationError:
    return ValidationError(_("The document is damaged or not a Word/Excel file."))


def _inflated_size(raw, entry: zipfile.ZipInfo, archive_size: int, budget: int) -> int:
    """The bytes ``entry`` really expands to; refused past ``budget`` or its ratio."""
    if entry.flag_bits & 0x1:
        raise ValidationError(_("The document is encrypted; upload it without a password."))
    raw.seek(entry.header_offset)
    header = raw.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size:
        raise _damaged_office()
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise _damaged_office()
    start = entry.header_offset + LOCAL_HEADER.size + name_length + extra_length
    raw.seek(start)
    if entry.compress_type == zipfile.ZIP_STORED:
        produced, consumed, crc = 0, 0, 0
        while consumed < entry.compress_size:
            chunk = raw.read(min(CHUNK, entry.compress_size - consumed))
            if not chunk:
                raise _damaged_office()
            consumed += len(chunk)
            crc = zlib.crc32(chunk, crc)
        produced = consumed
    elif entry.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        produced, fed, crc = 0, 0, 0
        try:
            while not inflater.eof:
                pending = raw.read(CHUNK)
                if not pending:
                    raise _damaged_office()
                fed += len(pending)
                while pending and not inflater.eof:
                    out = inflater.decompress(pending, CHUNK)
                    produced += len(out)
                    crc = zlib.crc32(out, crc)
                    if produced > budget:
                        raise _bomb()
                    pending = inflater.unconsumed_tail
        except zlib.error:
            raise _damaged_office() from None
        consumed = fed - len(inflater.unused_data)
    else:
        raise _damaged_office()
    if produced > budget:
        raise _bomb()
    if produced > RATIO_FLOOR and produced > ZIP_MAX_RATIO * max(consumed, 1):
        raise _bomb()
    if (
        produced != entry.file_size
        or consumed != entry.compress_size
        or crc != entry.CRC
        or start + consumed > archive_size
    ):
        raise ValidationError(
            _("The document's zip headers do not match its contents; it was refused.")
        )
    return produced


# MP4 ----------------------------------------------------------------------------------------

MP4_MAX_BOXES = 10_000


def check_mp4(path: Path) -> None:
    """The file is a run of MP4 boxes from its first byte to its last: ``ftyp`` first and a
    ``moov`` (the film's index) among them; nothing before, between or after."""
    size = path.stat().st_size
    damaged = ValidationError(_("The video is damaged or not an MP4 file."))
    types = []
    offset = 0
    with path.open("rb") as f:
        while offset < size:
            f.seek(offset)
            header = f.read(8)
            if len(header) < 8:
                raise damaged
            box_size, box_type = struct.unpack(">I4s", header)
            if box_size == 1:
                large = f.read(8)
                if len(large) < 8:
                    raise damaged
                (box_size,) = struct.unpack(">Q", large)
                if box_size < 16:
                    raise damaged
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8 or not all(0x20 <= c <= 0x7E for c in box_type):
                raise damaged
            offset += box_size
            types.append(box_type)
            if offset > size or len(types) > MP4_MAX_BOXES:
                raise damaged
    if not types or types[0] != b"ftyp" or b"moov" not in types:
        raise damaged
