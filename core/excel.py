"""Excel and CSV import/export as provincial staff use them.

- Column headers are Chinese; ID-like columns (codes, credit codes, phone numbers) are text
  both ways: Excel turns an 18-digit number into 1.12301E+17, so such a cell is refused with
  a message rather than imported wrong.
- CSV files saved by Excel on Chinese Windows are GBK/GB18030; UTF-8 (with or without BOM)
  is accepted too.
- An import is previewed with row-level errors first, and runs in one transaction that rolls
  back on any error: one bad row writes nothing.
- An export carries no formula (``core.cells``): text is of the string type in XLSX and
  formula-like text is behind an apostrophe in CSV, which imports back without it.
  django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is left off: it
  deletes a leading "=" (the value changes), lets "+", "-" and "@" through and turns every
  cell, empty ones too, into text.
- Every export and every confirmed import is recorded through ``ADMIN_FILE_RECORDED``, a hook
  point the audit app implements (core cannot import it).
"""

import contextlib
import io
import re
from collections.abc import Callable
from decimal import Decimal

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX

from core.cells import csv_safe, csv_unescape, text_cells
from core.hooks import HookKind, HookPoint, hooks

# (request, action, details, failed) -> None: "export.admin" and "import.admin" (the audit app).
ADMIN_FILE_RECORDED: HookPoint[Callable[..., None]] = hooks.declare(HookKind.RECORD, "admin_file")


class TextXLSX(XLSX):
    """XLSX whose text cells are always of the string type: no value becomes a formula."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = re.sub(r"[\\*?:/\[\]]", "-", dataset.title or "")[:31] or "Sheet1"
        rows = [dataset.headers, *dataset] if dataset.headers else list(dataset)
        widths: dict[int, int] = {}
        for row in rows:
            values = [
                # Control characters cannot be stored in XLSX; they are shown as "�".
                ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", v)
                if isinstance(v, str)
                else v
                for v in row
            ]
            sheet.append(values)
            for index, value in enumerate(values, start=1):
                widths[index] = max(widths.get(index, 8), min(len(force_str(value or "")) * 2, 60))
        text_cells(sheet)
        if dataset.headers:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        for index, width in widths.items():
            sheet.column_dimensions[get_column_letter(index)].width = width
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class TextCSV(CSV):
    """CSV whose formula-like cells are behind an apostrophe; read back without it."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=[csv_safe(h) for h in dataset.headers or []] or None)
        for row in dataset:
            safe.append([csv_safe(value) for value in row])
        return safe.export("csv", **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        unescaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            unescaped.append([csv_unescape(value) for value in row])
        return unescaped


IMPORT_FORMATS = [TextXLSX, TextCSV]
EXPORT_FORMATS = [TextXLSX, TextCSV]

_SCIENTIFIC = re.compile(r"^[0-9.]+[eE][+-]?\d+$")
# Beyond 15 significant digits a number in an Excel cell has lost digits already.
_EXACT_DIGITS = 15


def decode_text_upload(raw: bytes) -> str:
    """Decode a CSV upload: UTF-8 (BOM or not) first, then GB18030 (a superset of GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is neither UTF-8 nor GBK/GB18030 text. Save it from Excel as CSV or XLSX.")
    )


class TextWidget(widgets.CharWidget):
    """A column of codes or numbers that must stay text: never 2.3e+17, never 123.0."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, bool):
            return force_str(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float | Decimal):
            if value != int(value) or len(str(int(value))) > _EXACT_DIGITS:
                raise ValueError(self._lost_digits_message())
            return str(int(value))
        text = force_str(value).strip()
        if _SCIENTIFIC.match(text):
            raise ValueError(self._lost_digits_message())
        return text

    @staticmethod
    def _lost_digits_message() -> str:
        return _(
            "This number was stored by Excel as a number and has lost digits "
            "(e.g. 2.3E+17). Format the column as Text and type it again."
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class YesNoWidget(widgets.BooleanWidget):
    """是/否 in Chinese sheets; also accepts 1/0, true/false, yes/no."""

    TRUE_VALUES = ["是", "1", 1, True, "true", "TRUE", "True", "yes", "Yes", "Y", "y"]
    FALSE_VALUES = ["否", "0", 0, False, "false", "FALSE", "False", "no", "No", "N", "n"]
    NULL_VALUES = ["", None]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in self.NULL_VALUES:
            return False
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise ValueError(_("Enter 是 or 否 (yes or no), not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class ChoiceLabelWidget(widgets.Widget):
    """A choices column shown by its Chinese label; accepts the value or either label."""

    def __init__(self, choices, **kwargs) -> None:
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = force_str(value or "").strip()
        for choice in self.choices:
            if text in {choice.value, force_str(choice.label), str(choice.label)}:
                return choice.value

        with translation.override("zh-hans"):
            zh = {force_str(c.label): c.value for c in self.choices}
        if text in zh:
            return zh[text]
        allowed = "、".join(zh)
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        with translation.override("zh-hans"):
            for choice in self.choices:
                if choice.value == value:
                    return force_str(choice.label)
        return force_str(value or "")


class ChineseImportMixin:
    """Admin import that accepts GBK/GB18030 CSV and rolls back on any row error."""

    from_encoding = "utf-8"

    def get_import_formats(self):
        return IMPORT_FORMATS

    def get_export_formats(self):
        return EXPORT_FORMATS

    def write_to_tmp_storage(self, import_file, input_format):
        if not input_format.is_binary():
            raw = b"".join(import_file.chunks())
            # Undecodable bytes are left as they are: reading fails and the form says so.
            with contextlib.suppress(ValidationError):
                raw = decode_text_upload(raw).encode("utf-8")
            import_file = ContentFile(raw, name=import_file.name)
        return super().write_to_tmp_storage(import_file, input_format)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_export_data(self, file_format, request: HttpRequest, queryset, **kwargs):
        """The file, recorded with the resource and its number of rows.

        Replaces django-import-export's method, which keeps numbers and dates native only for
        its own XLSX class (``BINARY_FORMATS``), not for ``TextXLSX``.
        """
        if not self.has_export_permission(request):
            raise PermissionDenied
        dataset = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        content = file_format.export_data(dataset)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            content = content.encode(encoding)
        resource = self.choose_export_resource_class(kwargs.get("export_form"), request)
        hooks.one(ADMIN_FILE_RECORDED)(
            request=request,
            action="admin.export",
            details={
                "resource": resource.__name__,
                "model": self.model._meta.label_lower,
                "format": file_format.get_extension(),
                "rows": dataset.height,
            },
            failed=False,
        )
        return content

    def process_dataset(self, dataset, form, request: HttpRequest, **kwargs):
        """A confirmed import, recorded with its totals in the import's transaction (one that
        rolled back is recorded as failed)."""
        with transaction.atomic():
            result = super().process_dataset(dataset, form, request, **kwargs)
            resource = self.choose_import_resource_class(form, request)
            hooks.one(ADMIN_FILE_RECORDED)(
                request=request,
                action="admin.import",
                details={
                    "resource": resource.__name__,
                    "model": self.model._meta.label_lower,
                    "file": form.cleaned_data.get("original_file_name", ""),
                    "rows": result.total_rows,
                    "totals": {str(key): value for key, value in result.totals.items() if value},
                },
                failed=result.has_errors() or result.has_validation_errors(),
            )
        return result
