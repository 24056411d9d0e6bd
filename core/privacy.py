"""Personal information shown to those who need it and masked for everyone else (个人信息保护)."""


def mask_phone(value: str) -> str:
    """A phone number with its middle digits hidden: 13812345678 → 138****5678,
    0451-86000000 → 0451-****0000. The last four digits stay, for a caller to recognise."""
    if not value:
        return ""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    if len(digits) <= 4:
        return "*" * len(value)
    keep_start = 3 if len(digits) >= 11 else 0
    hidden = set(digits[keep_start:-4])
    if value[: digits[0]].strip() == "" and "-" in value:
        # Keep an area code before the dash: the number is the part that identifies a person.
        dash = value.index("-")
        hidden = {i for i in digits[:-4] if i > dash}
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def mask_name(value: str) -> str:
    """A person's name with only the family name shown: 林晓申 → 林**."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
