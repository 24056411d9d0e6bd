import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


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
