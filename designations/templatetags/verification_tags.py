"""The verification block of the certificates and the naming notice: the QR code (inline SVG,
drawn here) and the short code under it."""

from django import template
from django.utils.safestring import mark_safe

from designations.verification import verification_qr_svg, verification_url

register = template.Library()


@register.simple_tag
def verification_qr(code: str, module_mm: float = 0.5) -> str:
    # segno's SVG: its own markup and the modules' path, nothing of the address as text.
    return mark_safe(verification_qr_svg(code, module_mm=module_mm))  # noqa: S308


@register.simple_tag
def verification_address(code: str) -> str:
    return verification_url(code)
