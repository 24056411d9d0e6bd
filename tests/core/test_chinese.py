from datetime import date

import pytest

from core.chinese import chinese_date, chinese_number


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 2), "二〇二六年十二月二日"),
        (date(2026, 1, 1), "二〇二六年一月一日"),
        (date(2030, 10, 10), "二〇三〇年十月十日"),
        (date(2027, 11, 20), "二〇二七年十一月二十日"),
        (date(2028, 3, 31), "二〇二八年三月三十一日"),
        (date(2000, 2, 29), "二〇〇〇年二月二十九日"),
    ],
)
def test_chinese_date_writes_the_year_digit_by_digit_and_month_and_day_as_numbers(day, expected):
    assert chinese_date(day) == expected


@pytest.mark.parametrize("value", [0, 100, -1])
def test_chinese_number_refuses_what_no_month_or_day_is(value):
    with pytest.raises(ValueError, match="between 1 and 99"):
        chinese_number(value)
