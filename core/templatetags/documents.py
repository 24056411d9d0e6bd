"""Helpers of the printed documents' templates: the configured fonts and issuer, dates.

The templates ask for what they need here instead of from their context, so that every caller
of a template (a view, the background certificate batch) prints the same document.
"""

from datetime import date

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from core.chinese import chinese_date as _chinese_date

register = template.Library()

_FONTS = {
    "title": "DOCUMENT_FONT_TITLE",
    "body": "DOCUMENT_FONT_BODY",
    "kai": "DOCUMENT_FONT_KAI",
    "heading": "DOCUMENT_FONT_HEADING",
    "song": "DOCUMENT_FONT_SONG",
}
_TEXTS = {
    "issuer": "DOCUMENT_ISSUER",
    "issuer_mark": "DOCUMENT_ISSUER_MARK",
    "main_recipients": "DOCUMENT_MAIN_RECIPIENTS",
    "copy_to": "DOCUMENT_COPY_TO",
    "printed_by": "DOCUMENT_PRINTED_BY",
}


@register.simple_tag
def document_font(role: str) -> SafeString:
    """The CSS font-family list for a role (title, body, kai, heading, song). Settings refuse
    anything but a family list, so it may stand unescaped in a style sheet."""
    return mark_safe(getattr(settings, _FONTS[role]))  # noqa: S308


@register.simple_tag
def document_title_weight() -> int:
    return int(settings.DOCUMENT_FONT_TITLE_WEIGHT)


@register.simple_tag
def document_text(name: str) -> str:
    """The issuer, the main recipients, the copies, the printing office (settings)."""
    return getattr(settings, _TEXTS[name])


@register.filter
def chinese_date(value: date | None) -> str:
    """二〇二六年十二月二日, as certificates write a date."""
    return _chinese_date(value) if value else ""


@register.filter
def document_date(value: date | None) -> str:
    """2026年12月2日: GB/T 9704-2012's 成文日期 and 印发日期, Arabic numerals, no padding."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
