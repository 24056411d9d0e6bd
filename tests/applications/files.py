"""Sample files for upload tests, made on the fly: real files of each type, and the
malicious ones the upload checks refuse."""

import io
import struct
import zipfile
import zlib


def image(fmt: str = "PNG", size: tuple[int, int] = (16, 12), **save) -> bytes:
    """A small picture (a red and blue split, so that a turn shows) in ``fmt``."""
    from PIL import Image

    picture = Image.new("RGB", size, (200, 30, 30))
    picture.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    picture.save(out, format=fmt, **save)
    return out.getvalue()


def pdf(extra=None) -> bytes:
    """A one-page PDF; ``extra(pdf)`` may add to it before it is saved."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=(200, 200))
    if extra is not None:
        extra(document, pikepdf)
    out = io.BytesIO()
    document.save(out, static_id=True)
    return out.getvalue()


def mp4() -> bytes:
    """An MP4 made of boxes: ftyp, an (empty) moov and mdat."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    return (
        box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom")
        + box(b"moov", box(b"mvhd", b"\x00" * 100))
        + box(b"mdat", b"\x00" * 64)
    )


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG", quality=90)
MP4 = mp4()


def office_zip(kind: str = "docx", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    # 300 MB of zeros compresses to about 300 KB.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
        with archive.open("word/media/big.bin", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(300):
                entry.write(chunk)
    return buffer.getvalue()


def lying_zip_bomb(megabytes: int = 20) -> bytes:
    """A DOCX whose media entry inflates to ``megabytes`` of zeros while its local and central
    headers say 1,000 bytes (and a matching-looking ratio): only inflating it tells."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("word/media/big.bin", b"\x00" * (megabytes * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        entry = archive.getinfo("word/media/big.bin")
    fake_size = 1000
    # The local header: uncompressed size at offset 22.
    struct.pack_into("<I", data, entry.header_offset + 22, fake_size)
    # The central directory's record of the entry: uncompressed size at offset 24.
    name = b"word/media/big.bin"
    central = data.index(b"PK\x01\x02", 0)
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, fake_size)
    return bytes(data)


def png_with_trailer(trailer: bytes) -> bytes:
    """A valid PNG with ``trailer`` after its end (a PNG+JAR polyglot when it is a zip)."""
    return PNG + trailer


def jar() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Evil\n")
        archive.writestr("Evil.class", b"\xca\xfe\xba\xbe" + b"\x00" * 32)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_exif() -> bytes:
    """A JPEG carrying EXIF with a GPS position and a camera model."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0110] = "Probe Camera"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 45.0, 0.0)
    gps[3] = "E"
    gps[4] = (126.0, 38.0, 0.0)
    return image("JPEG", quality=90, exif=exif.tobytes())
