"""Messages as the user reads them: in Chinese where translated."""

from django.utils import translation
from django.utils.html import escape


def zh(message: str) -> str:
    """``message`` in Chinese, as a service or a form says it."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def zh_html(message: str) -> str:
    """``message`` as a page shows it: in Chinese, HTML-escaped."""
    return escape(zh(message))
