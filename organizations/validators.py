import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .models import PasswordHistory


class CharacterClassesValidator:
    """Require characters from at least ``min_classes`` of: upper, lower, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        checks = (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        )
        return sum(checks)

    def validate(self, password: str, user=None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of character "
            "(upper-case, lower-case, digits, symbols).",
            "Your password must mix at least %(n)d kinds of characters "
            "(upper-case letters, lower-case letters, digits, symbols).",
            self.min_classes,
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Refuse the current password and the ``count - 1`` before it: the last ``count``
    passwords are not used again (their hashes are kept in ``PasswordHistory``)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return

        hashes = [user.password] if user.has_usable_password() else []
        hashes += list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-id")
            .values_list("password", flat=True)[: self.count - 1]
        )
        # check_password here, not user.check_password: that one would re-hash and save.
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(n)d passwords.",
            self.count,
        ) % {"n": self.count}
