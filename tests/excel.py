"""Driving the admin's two-step Excel import (preview, then confirm) with the test client."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

XLSX, CSV = "0", "1"  # positions in portal.excel.IMPORT_FORMATS


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def read_xlsx_cells(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content)).active


def admin_preview(client: Client, admin_name: str, content: bytes, fmt: str, filename: str):
    """Step 1: upload; the admin dry-runs the import and shows a preview with row errors."""
    upload = SimpleUploadedFile(filename, content)
    return client.post(
        reverse(f"admin:{admin_name}_import"),
        {"format": fmt, "import_file": upload, "resource": "0"},
    )


def admin_confirm(client: Client, admin_name: str, preview_response):
    """Step 2: confirm the previewed import."""
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:{admin_name}_process_import"), data)


def admin_export(client: Client, admin_name: str, fmt: str = XLSX) -> bytes:
    """Export every column, as a user ticking all the boxes on the export page would."""
    url = reverse(f"admin:{admin_name}_export")
    form = client.get(url).context["form"]
    data = {"format": fmt, "resource": "0"}
    data.update(
        {name: "on" for name, f in form.fields.items() if getattr(f, "is_selectable_field", 0)}
    )
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content
