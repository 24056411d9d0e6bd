from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.excel import ChineseImportMixin

from .forms import MembershipAdminForm
from .models import Bureau, Division, Membership, User
from .resources import BureauResource, MembershipResource, UserResource
from .services import bureau_set_active, membership_grant, membership_revoke


class MembershipInline(admin.TabularInline):
    """Read-only here: roles are granted and revoked on the role memberships page."""

    model = Membership
    extra = 0
    fields = ["role", "bureau", "division", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ChineseImportMixin, ImportExportModelAdmin, DjangoUserAdmin):
    resource_classes = [UserResource]
    list_display = ["username", "full_name", "phone", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "phone", "email"]
    list_filter = ["is_active", "memberships__role"]
    ordering = ["username"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, not deleted: their events and scores must keep their author.
        return False


@admin.register(Bureau)
class BureauAdmin(ChineseImportMixin, ImportExportModelAdmin):
    resource_classes = [BureauResource]
    list_display = ["code", "name", "level", "parent", "in_gbt2260", "is_active"]
    list_filter = ["level", "is_active", "in_gbt2260"]
    search_fields = ["code", "name", "region_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    actions = ["deactivate", "reactivate"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Bureaus are deactivated, never deleted.
        return False

    @admin.action(description=_("Deactivate the selected bureaus"))
    def deactivate(self, request, queryset) -> None:
        for bureau in queryset:
            bureau_set_active(bureau=bureau, active=False)

    @admin.action(description=_("Reactivate the selected bureaus"))
    def reactivate(self, request, queryset) -> None:
        for bureau in queryset:
            bureau_set_active(bureau=bureau, active=True)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ChineseImportMixin, ImportExportModelAdmin):
    """Roles are granted and revoked through the services; a grant is never edited in place."""

    form = MembershipAdminForm
    resource_classes = [MembershipResource]
    list_display = ["user", "role", "bureau", "division", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "bureau__name"]
    list_select_related = ["user", "bureau", "division"]
    autocomplete_fields = ["user", "bureau"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        saved = membership_grant(
            user=obj.user, role=obj.role, bureau=obj.bureau, division=obj.division
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset:
            membership_revoke(membership=membership)
