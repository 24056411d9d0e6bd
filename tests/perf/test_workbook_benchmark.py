"""Benchmark: the 汇总表 against a plain openpyxl write-only loop (run with `make bench`).

The summary workbook (XlsxWriter, styled, merged) is built for N synthetic results (made in
memory; only the cycle's sections come from the database) and a plain write-only loop writes
the same rows and columns of bare values, no styles, alternating in one run. Results go to
docs/benchmarks.md; nothing here asserts a time.
"""

import io
import statistics
import time
from decimal import Decimal

import pytest

from applications.models import Application
from evaluation.pass_rule import SectionResult, WrittenResult
from evaluation.spreadsheets import summary_workbook
from organizations.models import Bureau

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

ROUNDS = 7


def _results(cycle, count: int) -> list[WrittenResult]:
    sections = list(cycle.criteria_version.sections.order_by("number"))
    city = Bureau(code="230100", name="哈尔滨市")
    results = []
    for index in range(count):
        county = Bureau(code=f"{230101 + index}", name=f"示范县{index:04d}司法局", parent=city)
        result = WrittenResult(Application(cycle=cycle, county=county))
        for section in sections:
            points = Decimal(80 + index % 20) / 2
            result.sections.append(SectionResult(section, points, Decimal(50), index % 10 != 9))
        if index % 17 == 0:
            result.vetoes_failed.append("5.6 专职人员")
        results.append(result)
    return results


def _plain_rows(results: list[WrittenResult]) -> list[list]:
    return [
        [
            rank,
            r.application.county.name,
            r.application.county.parent.name,
            *[float(s.points) for s in r.sections],
            float(r.total),
            float(r.percent / 100),
            "、".join(r.vetoes_failed) or "无",
            "合格",
            "未安排",
            "—",
        ]
        for rank, r in enumerate(results, start=1)
    ]


def _plain(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("汇总表")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _seconds(build) -> float:
    started = time.perf_counter()
    build()
    return time.perf_counter() - started


@pytest.mark.parametrize("count", [121, 2000])
def test_summary_workbook_against_a_plain_write_only_loop(cycle, count):
    results = _results(cycle, count)
    rows = _plain_rows(results)
    # Warm-up: XlsxWriter's and openpyxl's imports and the sections query out of the figures.
    summary_workbook(cycle, results)
    _plain(rows)
    summary, plain = [], []
    for _ in range(ROUNDS):
        plain.append(_seconds(lambda: _plain(rows)))
        summary.append(_seconds(lambda: summary_workbook(cycle, results)))
    summary_rate = count / statistics.median(summary)
    plain_rate = count / statistics.median(plain)
    print(
        f"\n汇总表 {count} rows: {summary_rate:,.0f} rows/s "
        f"(best {count / min(summary):,.0f}); plain write-only loop {plain_rate:,.0f} rows/s "
        f"(best {count / min(plain):,.0f}); ratio {summary_rate / plain_rate:.2f}"
    )
