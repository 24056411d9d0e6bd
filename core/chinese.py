"""Chinese numerals for dates, as certificates and seals write them (二〇二六年十二月二日)."""

from datetime import date

_DIGITS = "〇一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1–99 as read aloud: 十, 十二, 二十, 三十一 (months and days need no more)."""
    if not 0 < value < 100:
        raise ValueError(f"{value} is not between 1 and 99")
    tens, units = divmod(value, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def chinese_date(day: date) -> str:
    """``date(2026, 12, 2)`` → 二〇二六年十二月二日: the year digit by digit with 〇 for zero,
    month and day as numbers (十月, 二十一日)."""
    year = "".join(_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
