"""Excel and CSV import/export as provincial staff use them.

- Column headers are Chinese; ID-like columns (codes, credit codes, phone numbers) are text
  both ways: Excel turns an 18-digit number into 1.12301E+17, so such a cell is refused with
  a message rather than imported wrong.
- CSV files saved by Excel on Chinese Windows are GBK/GB18030; UTF-8 (with or without BOM)
  is accepted too.
- An import is previewed with row-level errors first, and runs in one transaction that rolls
  back on any error: one bad row writes nothing.
"""

import contextlib
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX

IMPORT_FORMATS = [XLSX, CSV]
EXPORT_FORMATS = [XLSX, CSV]

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
        from django.utils import translation

        with translation.override("zh-hans"):
            zh = {force_str(c.label): c.value for c in self.choices}
        if text in zh:
            return zh[text]
        allowed = "、".join(zh)
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        from django.utils import translation

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
