"""The one way the portal hands a generated file to the browser (a stored one:
``core.storage.private_download``)."""

from django.http import HttpResponse
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
