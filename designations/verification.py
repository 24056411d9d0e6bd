"""Verification codes: the short code and QR code printed on each certificate and naming notice,
and the standing of a title as ``/public/verify/<code>/`` tells it to anyone (no log-in).

A code is 12 characters from a 32-character alphabet without the look-alikes 0/O and 1/I
(60 random bits from ``secrets``): unguessable, and readable over the telephone.
"""

import secrets
from dataclasses import dataclass
from datetime import date

import segno
from django.conf import settings
from django.urls import reverse

from .enums import DesignationState

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def verification_code_new() -> str:
    """A fresh random code (the models' default; uniqueness is the database's)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_code_normalize(raw: str) -> str:
    """What a reader typed, as stored: capitals, without spaces or hyphens. Look-alikes are not
    guessed (an ``O`` stays an ``O`` and finds nothing)."""
    return "".join(raw.split()).replace("-", "").upper()


def verification_code_valid(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def verification_url(code: str) -> str:
    """The absolute address of a code's page, on the portal's public address (``SITE_URL``)."""
    return settings.SITE_URL + reverse("public_verify_code", args=[code])


def verification_qr_svg(code: str, *, module_mm: float = 0.5) -> str:
    """The code's address as a QR code, drawn here (segno) as inline SVG for the PDF's HTML:
    error correction M, the four-module quiet zone, ``module_mm`` millimetres a module."""
    return segno.make(verification_url(code), error="m").svg_inline(
        scale=module_mm, unit="mm", border=4, dark="#000"
    )


class Standing:
    HELD = "held"
    RECTIFYING = "rectifying"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TitleStanding:
    """A title's standing today: held, under rectification (until a deadline), or revoked on
    a date (and the plaque removed on a date)."""

    kind: str
    deadline: date | None = None
    revoked_on: date | None = None
    plaque_removed_on: date | None = None

    @property
    def held(self) -> bool:
        return self.kind != Standing.REVOKED


def designation_standing(designation) -> TitleStanding:
    if designation.state == DesignationState.REVOKED:
        return TitleStanding(
            Standing.REVOKED,
            revoked_on=designation.revoked_on,
            plaque_removed_on=designation.plaque_removed_on,
        )
    if designation.state == DesignationState.RECTIFYING:
        return TitleStanding(Standing.RECTIFYING, deadline=designation.rectification_deadline)
    return TitleStanding(Standing.HELD)
