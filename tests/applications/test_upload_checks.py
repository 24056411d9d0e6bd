"""Uploads checked for what they are: each probe that once got in is refused, or stored defanged.

Each refusal answers with the file's name and the reason, and leaves no row and no file.
"""

import hashlib
import io
import os
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from applications.enums import EVIDENCE_KINDS, MINUTES_KINDS, PHOTO_KINDS, SCAN_KINDS
from applications.evidence import accept_attribute, private_file_response, store_upload
from applications.models import Evidence
from core.storage import private_names, private_read, private_save
from standards.models import Item
from tests.states import nothing_moves

from . import files
from .files import JPEG, MP4, PDF, PNG, office_zip

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _stored_files() -> set[str]:
    return private_names()


def _stored_bytes(evidence) -> bytes:
    return private_read(evidence.stored_name)


def _item(application, code="5.6"):
    return Item.objects.get(section__version=application.cycle.criteria_version, code=code)


@pytest.fixture
def upload(client, cast, application):
    """POST a file as the county's evidence; the messages shown afterwards."""
    client.force_login(cast.county_a_applicant)

    def post(name: str, content: bytes) -> str:
        response = client.post(
            reverse("applications:evidence_upload", args=[application.pk]),
            {"file": SimpleUploadedFile(name, content), "item": _item(application).pk},
        )
        assert response.status_code == 302
        return " ".join(m.message for m in response.wsgi_request._messages)

    return post


def _refused(upload, name: str, content: bytes, reason: str) -> str:
    """Upload, and check the refusal: the message names the file, no row, no file."""
    before = _stored_files()
    with nothing_moves():
        text = upload(name, content)
    assert f"“{name}”未能保存" in text, text
    assert reason in text, text
    assert not Evidence.objects.exists()
    assert _stored_files() == before
    return text


def _pdf_with_open_action(document, pikepdf) -> None:
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    document.Root.OpenAction = document.make_indirect(action)


def _pdf_with_page_action(document, pikepdf) -> None:
    # An additional action on the page, run when it opens.
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    document.pages[0].obj.AA = pikepdf.Dictionary(O=action)


def _pdf_with_named_script(document, pikepdf) -> None:
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(3)"))
    document.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), script]))
    )


def _pdf_with_launch_link(document, pikepdf) -> None:
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=launch,
    )
    document.pages[0].obj.Annots = document.make_indirect(pikepdf.Array([link]))


def _pdf_with_attachment(document, pikepdf) -> None:
    document.attachments["payload.exe"] = pikepdf.AttachedFileSpec(document, b"MZ\x90\x00")


# The probes ---------------------------------------------------------------------------------


def test_html_behind_a_png_signature_is_refused(upload):
    content = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    _refused(upload, "photo.png", content, "图片已损坏")


def test_a_png_jar_polyglot_is_stored_without_its_jar(upload):
    jar = files.jar()
    polyglot = files.png_with_trailer(jar)
    text = upload("poster.png", polyglot)
    assert "已上传" in text, text
    evidence = Evidence.objects.get()
    stored = _stored_bytes(evidence)
    assert b"PK\x03\x04" not in stored
    assert b"META-INF" not in stored
    # Nothing after the image's end chunk.
    assert stored.endswith(b"IEND\xaeB`\x82")
    assert (evidence.size, evidence.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())


@pytest.mark.parametrize(
    ("builder", "found"),
    [
        (_pdf_with_open_action, "OpenAction"),
        (_pdf_with_page_action, "AA"),
        (_pdf_with_named_script, "JavaScript"),
        (_pdf_with_launch_link, "Launch"),
        (_pdf_with_attachment, "EmbeddedFile"),
    ],
)
def test_a_pdf_with_scripts_actions_or_attachments_is_refused(upload, builder, found):
    text = _refused(upload, "通知.pdf", files.pdf(builder), "脚本、自动动作或嵌入文件")
    assert found in text


def test_a_pdf_that_does_not_parse_is_refused(upload):
    _refused(upload, "损坏.pdf", b"%PDF-1.7\n<<garbage", "PDF文件已损坏")


def test_a_truncated_jpeg_is_refused(upload):
    photo = files.image("JPEG", size=(64, 64), quality=90)
    _refused(upload, "现场.jpg", photo[: len(photo) // 2], "图片已损坏")


def test_a_corrupt_png_is_refused(upload):
    # One byte of the pixel data changed: the chunk's checksum no longer matches.
    broken = bytearray(PNG)
    broken[PNG.index(b"IDAT") + 6] ^= 0xFF
    _refused(upload, "现场.png", bytes(broken), "图片已损坏")


def test_a_docx_whose_zip_headers_lie_about_the_sizes_is_refused(upload):
    bomb = files.lying_zip_bomb()
    # What the headers say passes the old checks: 1,000 bytes, far below the ratio.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < 2000
    _refused(upload, "制度汇编.docx", bomb, "压缩炸弹")


def test_a_docx_whose_headers_understate_a_small_entry_is_refused(upload):
    # Not a bomb, but the sizes in the headers are not the contents' sizes.
    content = bytearray(office_zip("docx", {"word/styles.xml": b"<styles/>" * 50}))
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        entry = archive.getinfo("word/styles.xml")
    struct.pack_into("<I", content, entry.header_offset + 22, 10)
    central = content.index(b"word/styles.xml", entry.header_offset + 40) - 46
    struct.pack_into("<I", content, central + 24, 10)
    _refused(upload, "制度汇编.docx", bytes(content), "不一致")


def test_report_html_that_starts_with_pdf_is_refused(upload):
    text = _refused(upload, "report.html", PDF, "PDF")
    assert "“.html”" in text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", PNG),
        ("photo.jpg", PNG),
        ("photo.png", JPEG),
        ("table.xlsx", office_zip("docx")),
        ("video.mov", MP4),
        ("noextension", PDF),
    ],
)
def test_the_name_must_agree_with_the_content(upload, name, content):
    _refused(upload, name, content, "文件名")


def test_a_decompression_bomb_image_is_refused(upload):
    _refused(upload, "big.png", files.png_claiming(9000, 9000), "百万像素")


def test_an_image_beyond_pillows_own_limit_is_refused(upload):
    _refused(upload, "huge.png", files.png_claiming(60000, 60000), "百万像素")


def test_an_mp4_signature_in_front_of_something_else_is_refused(upload):
    content = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12 + b"<html><script>x</script></html>"
    _refused(upload, "宣传.mp4", content, "视频")


# What is stored ------------------------------------------------------------------------------


def test_a_re_encoded_jpeg_has_no_exif_and_no_trailing_bytes(upload):
    from PIL import Image

    photo = files.jpeg_with_exif() + b"trailing-data-after-the-image"
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif().get_ifd(0x8825)  # the GPS position is there before
    upload("现场.jpg", photo)
    stored = _stored_bytes(Evidence.objects.get())
    assert stored.endswith(b"\xff\xd9")
    assert b"trailing-data" not in stored
    assert b"Exif" not in stored
    assert b"Probe Camera" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        picture.load()
        assert "exif" not in picture.info
        assert not picture.getexif()
        assert picture.size == (16, 12)


def test_a_photo_turned_by_its_exif_is_stored_upright(upload):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone held upright: turn 90° to show
    upload("竖拍.jpg", files.image("JPEG", size=(16, 12), exif=exif.tobytes()))
    with Image.open(io.BytesIO(_stored_bytes(Evidence.objects.get()))) as picture:
        assert picture.size == (12, 16)
        assert not picture.getexif()


def test_png_text_chunks_are_dropped(upload):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    upload("图.png", files.image("PNG", pnginfo=info))
    stored = _stored_bytes(Evidence.objects.get())
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert "Comment" not in picture.info


def test_a_clean_pdf_is_stored_as_it_came(upload):
    upload("纪要.pdf", PDF)
    evidence = Evidence.objects.get()
    assert _stored_bytes(evidence) == PDF
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()


# Each use accepts only its types -------------------------------------------------------------


def test_each_use_has_its_kinds_and_the_accept_attribute_matches():
    assert EVIDENCE_KINDS == ("pdf", "jpeg", "png", "docx", "xlsx", "mp4")
    assert MINUTES_KINDS == ("pdf", "jpeg", "png", "docx")
    assert SCAN_KINDS == ("pdf", "jpeg", "png")
    assert PHOTO_KINDS == ("jpeg", "png")
    assert accept_attribute(PHOTO_KINDS) == ".jpg,.jpeg,.png,image/jpeg,image/png"
    assert accept_attribute(SCAN_KINDS) == (
        ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
    )


@pytest.mark.parametrize(
    ("kinds", "name", "content"),
    [
        (PHOTO_KINDS, "现场.docx", office_zip("docx")),
        (PHOTO_KINDS, "现场.mp4", MP4),
        (PHOTO_KINDS, "现场.pdf", PDF),
        (SCAN_KINDS, "盖章.docx", office_zip("docx")),
        (MINUTES_KINDS, "纪要.xlsx", office_zip("xlsx")),
        (MINUTES_KINDS, "纪要.mp4", MP4),
    ],
)
def test_store_upload_refuses_a_type_the_use_does_not_take(kinds, name, content):
    from django.core.exceptions import ValidationError

    before = _stored_files()
    with pytest.raises(ValidationError) as refused:
        store_upload(SimpleUploadedFile(name, content), kinds=kinds)
    assert f"“{name}”" in refused.value.messages[0]
    assert "不予接受" in refused.value.messages[0]
    assert _stored_files() == before


def test_the_evidence_page_offers_the_evidence_types(client, cast, application):
    client.force_login(cast.county_a_applicant)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert f'accept="{accept_attribute(EVIDENCE_KINDS)}"'.encode() in response.content


# Downloads ------------------------------------------------------------------------------------


def _download(client, application, evidence, inline=False):
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    response = client.get(url + ("?inline=1" if inline else ""))
    b"".join(response.streaming_content)
    return response


def test_a_re_encoded_image_may_be_shown_inline_in_a_sandbox(upload, client, application):
    upload("现场.png", PNG)
    response = _download(client, application, Evidence.objects.get(), inline=True)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_office_files_are_always_attachments(upload, client, application):
    upload("制度.docx", office_zip("docx"))
    response = _download(client, application, Evidence.objects.get(), inline=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_file_stored_before_the_checks_is_an_attachment_typed_by_its_kind(
    client, cast, application
):
    # A row from before the content checks: not shown inline, whatever its name says.
    private_save("legacy0001", PDF)
    evidence = Evidence.objects.create(
        application=application,
        original_name="report.html",
        stored_name="legacy0001",
        kind="pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        round=1,
        uploaded_by=cast.county_a_applicant,
    )
    assert not evidence.checked
    response = private_file_response(evidence, inline=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    response.close()


@override_settings(PRIVATE_STORAGE_ACCEL_PREFIX="/protected/")
def test_downloads_behind_nginx_carry_the_sandbox_too(upload, client, application):
    upload("a.pdf", PDF)
    evidence = Evidence.objects.get()
    url = reverse("applications:evidence_download", args=[application.pk, evidence.pk])
    response = client.get(url)
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    nginx = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    protected = nginx[nginx.index("location /protected/") :].split("}", 1)[0]
    assert 'Content-Security-Policy "sandbox"' in protected
    assert "X-Content-Type-Options nosniff" in protected


# The virus scan -------------------------------------------------------------------------------


class FakeClamd(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Speaks clamd's INSTREAM protocol: finds the EICAR test string, else answers OK."""

    daemon_threads = True

    def __init__(self, path: str) -> None:
        self.commands: list[bytes] = []
        self.scanned: list[bytes] = []
        super().__init__(path, _ClamdHandler)


class _ClamdHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self.rfile.read(1)
        self.server.commands.append(command)
        data = b""
        while True:
            (length,) = struct.unpack(">I", self.rfile.read(4))
            if not length:
                break
            data += self.rfile.read(length)
        self.server.scanned.append(data)
        found = EICAR in data
        self.wfile.write(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")


@pytest.fixture
def clamd():
    # UNIX socket paths are short (108 bytes): a folder of its own directly under /tmp.
    folder = tempfile.mkdtemp(prefix="clamd-", dir="/tmp")
    path = os.path.join(folder, "clamd.sock")
    server = FakeClamd(path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(CLAMD_SOCKET=path):
        yield server
    server.shutdown()
    server.server_close()
    os.unlink(path)
    os.rmdir(folder)


def test_with_clamd_a_clean_file_is_scanned_and_stored(upload, clamd):
    text = upload("工作总结.pdf", PDF)
    assert "已上传" in text, text
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.scanned == [PDF]
    assert Evidence.objects.count() == 1


def test_with_clamd_a_virus_is_refused(upload, clamd):
    # A PDF that parses, with the antivirus test string in a comment after its end.
    infected = PDF + b"%" + EICAR + b"\n"
    text = _refused(upload, "通知.pdf", infected, "病毒")
    assert "Eicar-Test-Signature" in text
    assert clamd.scanned == [infected]


def test_when_clamd_is_configured_but_down_uploads_are_refused(upload):
    missing = os.path.join(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"), "gone.sock")
    with override_settings(CLAMD_SOCKET=missing):
        _refused(upload, "工作总结.pdf", PDF, "无法连接病毒扫描")
    os.rmdir(os.path.dirname(missing))


def test_a_relative_clamd_socket_stops_the_start():
    env = {**os.environ, "DJANGO_DEBUG": "1", "CLAMD_SOCKET": "clamd.sock"}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "CLAMD_SOCKET must be the absolute path" in result.stderr
