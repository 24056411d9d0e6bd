"""Reads on criteria. Criteria are public within the portal: every signed-in user may read them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import CriteriaVersion, Indicator, Item, Section


def criteria_versions_with_counts() -> QuerySet[CriteriaVersion]:
    """Every version with its numbers of sections, items, indicators and veto items."""
    return CriteriaVersion.objects.annotate(
        section_count=Count("sections", distinct=True),
        item_count=Count("sections__items", distinct=True),
        indicator_count=Count("sections__items__indicators", distinct=True),
        veto_count=Count("sections__items", filter=Q(sections__items__is_veto=True), distinct=True),
    ).order_by("-year", "name")


def sections_of(*, version: CriteriaVersion) -> list[Section]:
    """The version's sections with their owners, items and indicators, in plan order."""
    return list(
        version.sections.order_by("number").prefetch_related(
            "owners",
            Prefetch(
                "items",
                queryset=Item.objects.order_by("order").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
                ),
            ),
        )
    )
