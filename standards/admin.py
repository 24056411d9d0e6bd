from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.excel import ChineseImportMixin

from .models import CriteriaVersion, Indicator, Item, Section
from .resources import IndicatorResource, ItemResource
from .services import criteria_version_clone, criteria_version_ensure_editable


def _version_of(obj) -> CriteriaVersion | None:
    if isinstance(obj, CriteriaVersion):
        return obj
    if isinstance(obj, Section):
        return obj.version
    if isinstance(obj, Item):
        return obj.section.version
    if isinstance(obj, Indicator):
        return obj.item.section.version
    return None


class FrozenGuardMixin:
    """Frozen versions are shown read-only; a save that slips through is refused."""

    def has_change_permission(self, request, obj=None) -> bool:
        version = _version_of(obj) if obj is not None else None
        if version is not None and version.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        version = _version_of(obj) if obj is not None else None
        if version is not None and version.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        version = _version_of(obj)
        if version is not None and change:
            criteria_version_ensure_editable(CriteriaVersion.objects.get(pk=version.pk))
        super().save_model(request, obj, form, change)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "name", "name_en", "weight", "owners"]
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is not None and not obj.is_frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(FrozenGuardMixin, admin.ModelAdmin):
    list_display = ["name", "year", "frozen_at", "cloned_from"]
    readonly_fields = ["frozen_at", "cloned_from", "created_at"]
    inlines = [SectionInline]
    actions = ["clone"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Clone the selected version into a new editable version"))
    def clone(self, request, queryset) -> None:
        for version in queryset:
            name = f"{version.name}（副本）"
            try:
                clone = criteria_version_clone(version=version, name=name, year=version.year)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Created %(name)s.") % {"name": clone.name})


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or not obj.section.version.is_frozen) and super().has_change_permission(
            request, obj
        )

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Item)
class ItemAdmin(FrozenGuardMixin, ChineseImportMixin, ImportExportModelAdmin):
    resource_classes = [ItemResource]
    list_display = ["code", "title", "section", "points", "is_veto"]
    list_filter = ["section__version", "section__number", "is_veto"]
    search_fields = ["code", "title", "text"]
    list_select_related = ["section__version"]
    inlines = [IndicatorInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(FrozenGuardMixin, ChineseImportMixin, ImportExportModelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "operator", "threshold", "threshold_parameter", "unit"]
    list_filter = ["item__section__version", "kind", "unit"]
    search_fields = ["code", "name"]
    list_select_related = ["item__section__version"]


@admin.register(Section)
class SectionAdmin(FrozenGuardMixin, admin.ModelAdmin):
    list_display = ["__str__", "version", "weight"]
    list_filter = ["version"]
    list_select_related = ["version"]
    filter_horizontal = ["owners"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
