"""The one way the portal hands a generated or stored file to the browser."""

from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def disposition(response: HttpResponse, *, filename: str, inline: bool) -> HttpResponse:
    """Name the file the browser saves (or shows, ``inline``), and forbid it to sniff."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(
    content: bytes, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """``content`` as a download named ``filename`` (UTF-8 names survive: RFC 6266), or shown
    in the browser when ``inline``; ``nosniff`` always."""
    return disposition(
        HttpResponse(content, content_type=content_type), filename=filename, inline=inline
    )


def stored_file_response(
    path: Path, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """A file on disk, streamed, with the same headers as ``file_response``."""
    return disposition(
        FileResponse(path.open("rb"), content_type=content_type), filename=filename, inline=inline
    )
