"""The 2017 trial criteria as shipped: sections, items, veto items and every indicator."""

import io
from decimal import Decimal

import pytest

from standards.models import CriteriaVersion, Indicator, Item

pytestmark = pytest.mark.django_db

VERSION = "2017年试行版"

# item code → [(operator, threshold or parameter, unit)], per domain.md §5 and the plan.
EXPECTED_INDICATORS = {
    "2.1.3": [("gte", "2", "count")],
    "2.1.5": [("gte", "1", "count")],
    "2.3.1": [("gte", "3", "count")],
    "2.3.2": [("eq", "100", "percent")],
    "2.4.1": [("eq", "100", "percent"), ("eq", "100", "percent")],
    "2.4.2": [
        ("gte", "70", "percent"),
        ("gte", "90", "percent"),
        ("gte", "90", "percent"),
        ("eq", "100", "percent"),
    ],
    "2.4.3": [("gte", "1", "count"), ("gte", "1", "permille")],
    "3.2": [("lte", "1", "per_myriad")],
    "3.4": [("gte", "40", "hours")],
    "4.2": [("gte", "3", "count")],
    "4.8": [("gte", "1", "times"), ("gte", "40", "hours")],
    "4.9": [("eq", "100", "percent")],
    "5.2": [("gte", "3", "times"), ("gte", "90", "percent"), ("gte", "2", "times")],
    "5.3": [("gte", "90", "percent")],
    "5.4": [("gte", "2", "count"), ("gte", "2", "count")],
    "5.5": [("gte", "1", "times")],
    "5.6": [("gte", "2", "count")],
    "6.4": [("gt", "legal_aid_provincial_average", "count")],
    "6.6": [("gte", "1", "times")],
    "7.1": [
        ("gte", "2", "count"),
        ("gte", "1", "count"),
        ("gte", "0.05", "ratio"),
        ("gte", "1", "ratio"),
    ],
    "7.4": [("lt", "0.2", "percent")],
    "7.6": [("gte", "70", "percent")],
    "7.7": [("eq", "100", "percent")],
}
VETO_ITEMS = {"1.6", "1.7", "2.2.2", "2.3.2", "3.2", "3.3", "4.3", "4.5", "6.5", "7.2", "7.4"}


@pytest.fixture
def version() -> CriteriaVersion:
    return CriteriaVersion.objects.get(name=VERSION)


def test_version_has_seven_sections_with_the_plans_item_counts(version):
    counts = [s.items.count() for s in version.sections.order_by("number")]
    assert counts == [8, 14, 5, 9, 8, 6, 9]
    assert sum(counts) == 59


def test_item_codes_follow_the_plans_numbering(version):
    codes = list(
        Item.objects.filter(section__version=version)
        .order_by("section__number", "order")
        .values_list("code", flat=True)
    )
    expected = (
        [f"1.{i}" for i in range(1, 9)]
        + [f"2.1.{i}" for i in range(1, 6)]
        + ["2.2.1", "2.2.2", "2.3.1", "2.3.2"]
        + [f"2.4.{i}" for i in range(1, 6)]
        + [f"3.{i}" for i in range(1, 6)]
        + [f"4.{i}" for i in range(1, 10)]
        + [f"5.{i}" for i in range(1, 9)]
        + [f"6.{i}" for i in range(1, 7)]
        + [f"7.{i}" for i in range(1, 10)]
    )
    assert codes == expected


def test_item_text_is_the_plans_wording(version):
    item = Item.objects.get(section__version=version, code="2.4.2")
    assert item.text == (
        "刑满释放人员衔接率达到70%以上,重点帮教对象接送率达到90%以上。"
        "对已衔接的刑满释放人员的综合安置率达到90%以上,帮教率达到100%。"
    )
    assert item.group == "安置帮教"


def test_sections_are_owned_by_the_divisions_of_the_plan(version):
    owners = {
        s.number: sorted(d.code for d in s.owners.all())
        for s in version.sections.prefetch_related("owners")
    }
    assert owners == {
        1: ["finance_equipment", "general_office", "org_publicity"],
        2: ["grassroots"],
        3: ["notary"],
        4: ["lawyer"],
        5: ["legal_publicity"],
        6: ["legal_aid"],
        7: ["community_corrections"],
    }


def test_veto_items_are_the_plans_prohibitions(version):
    vetoes = set(
        Item.objects.filter(section__version=version, is_veto=True).values_list("code", flat=True)
    )
    assert vetoes == VETO_ITEMS
    assert not Item.objects.filter(section__version=version, is_veto=True, veto_note="").exists()


def test_every_indicator_has_the_plans_operator_threshold_and_unit(version):
    found: dict[str, list[tuple[str, str, str]]] = {}
    for indicator in Indicator.objects.filter(item__section__version=version).order_by(
        "item__section__number", "item__order", "order"
    ):
        limit = (
            indicator.threshold_parameter
            if indicator.threshold_parameter
            else f"{indicator.threshold.normalize():f}"
        )
        found.setdefault(indicator.item.code, []).append(
            (indicator.operator, limit, indicator.unit)
        )
    assert found == EXPECTED_INDICATORS


def test_default_scoring_rules(version):
    assert version.pass_total_percent == Decimal(90)
    assert version.section_min_percent == Decimal(80)
    assert version.met_percent == Decimal(100)
    assert version.partly_met_percent == Decimal(50)
    assert not Item.objects.filter(section__version=version).exclude(points=Decimal(10)).exists()


def test_loading_twice_creates_nothing_new(version):
    from django.core.management import call_command

    before = (Item.objects.count(), Indicator.objects.count(), CriteriaVersion.objects.count())
    call_command("load_criteria", verbosity=0, stdout=io.StringIO())
    after = (Item.objects.count(), Indicator.objects.count(), CriteriaVersion.objects.count())
    assert after == before
