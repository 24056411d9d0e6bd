from django.contrib import admin

from .models import Cycle


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    """Deadlines and per-cycle figures can be corrected here; states change on the cycles page."""

    list_display = ["year", "criteria_version", "city_deadline", "state"]
    readonly_fields = ["year", "criteria_version", "state", "opened_at", "closed_at"]
    fields = [
        "year",
        "criteria_version",
        "state",
        "city_deadline",
        "quota_ratio",
        "horizon_years",
        "parameters",
        "opened_at",
        "closed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
