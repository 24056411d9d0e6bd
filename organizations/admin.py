"""The administration pages (三员分立): accounts, bureaus and divisions are the system
administrator's; role memberships and the resets of passwords and second factors are the
security administrator's. Superuser, staff, groups and model permissions are edited nowhere
here: staff and groups follow the roles, a superuser is made on the server only."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.admin import ImportExportModelAdmin

from core.excel import ChineseImportMixin
from core.privacy import mask_phone

from .forms import MembershipAdminForm, UserAdminChangeForm, UserAdminCreationForm
from .models import Bureau, Division, Membership, User
from .permissions import can_reset_credentials
from .resources import BureauResource, MembershipResource, UserResource
from .services import (
    bureau_set_active,
    membership_grant,
    membership_revoke,
    password_set,
    temporary_password,
    user_create,
    user_update,
)
from .two_factor import otp_reset


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
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = [
        "username",
        "full_name",
        "masked_phone",
        "email",
        "is_active",
        "second_factor",
        "last_login",
    ]
    search_fields = ["username", "full_name", "phone", "email"]
    list_filter = ["is_active", "memberships__role"]

    @admin.display(description=_("phone"))
    def masked_phone(self, user: User) -> str:
        """A list shows phone numbers masked (personal information); the user's own page
        shows the number in full to the administrator who edits it."""
        return mask_phone(user.phone)

    ordering = ["username"]
    inlines = [MembershipInline]
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email")}),
        (_("Account"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )
    actions = ["reset_second_factor", "reset_password"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_totp=Exists(confirmed))

    @admin.display(description=_("second factor"), boolean=True, ordering="has_totp")
    def second_factor(self, obj) -> bool:
        return obj.has_totp

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, not deleted: their events and scores must keep their author.
        return False

    def has_reset_credentials_permission(self, request) -> bool:
        return can_reset_credentials(request.user)

    def user_change_password(self, request, id, form_url=""):
        # A password is set by its owner, or reset (provisional) by the security administrator
        # with the action on the list; nobody types another person's password here.
        raise PermissionDenied

    def save_model(self, request, obj, form, change) -> None:
        if change:
            user_update(user=obj, changed=form.changed_data, by=request.user, request=request)
            return
        created = user_create(
            username=obj.username,
            full_name=obj.full_name,
            password=form.cleaned_data.get("password1"),
            by=request.user,
            request=request,
        )
        obj.pk, obj.password = created.pk, created.password

    @admin.action(
        description=_("Reset the second factor of the selected users"),
        permissions=["reset_credentials"],
    )
    def reset_second_factor(self, request, queryset) -> None:
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                messages.error(request, _("Nobody resets their own second factor."))
                continue
            otp_reset(user=user, by=request.user, request=request)
            done += 1
        if done:
            messages.success(
                request,
                _("Second factor reset for %(n)d users: they enrol again at their next log-in.")
                % {"n": done},
            )

    @admin.action(
        description=_("Reset the password of the selected users (provisional password)"),
        permissions=["reset_credentials"],
    )
    def reset_password(self, request, queryset):
        issued = []
        for user in queryset:
            if user.pk == request.user.pk:
                messages.error(request, _("Nobody resets their own password; change it instead."))
                continue
            password = temporary_password()
            password_set(user=user, password=password, by=request.user, reset=True, request=request)
            issued.append((user, password))
        if not issued:
            return None
        # Shown once, in this answer only: never stored in a message or the session.
        return TemplateResponse(
            request,
            "organizations/temporary_passwords.html",
            {**self.admin_site.each_context(request), "issued": issued, "opts": self.opts},
        )


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
            bureau_set_active(bureau=bureau, active=False, by=request.user)

    @admin.action(description=_("Reactivate the selected bureaus"))
    def reactivate(self, request, queryset) -> None:
        for bureau in queryset:
            bureau_set_active(bureau=bureau, active=True, by=request.user)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ChineseImportMixin, ImportExportModelAdmin):
    """Roles are granted and revoked through the services, by the security administrator; a
    grant is never edited in place."""

    form = MembershipAdminForm
    resource_classes = [MembershipResource]
    list_display = ["user", "role", "bureau", "division", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "bureau__name"]
    list_select_related = ["user", "bureau", "division"]
    autocomplete_fields = ["user", "bureau"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form refuses what the service refuses (a self-grant, a second administrator role).
        form.granted_by = request.user
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        saved = membership_grant(
            user=obj.user,
            role=obj.role,
            bureau=obj.bureau,
            division=obj.division,
            by=request.user,
            request=request,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        membership_revoke(membership=obj, by=request.user, request=request)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset:
            membership_revoke(membership=membership, by=request.user, request=request)
