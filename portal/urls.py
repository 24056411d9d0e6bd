from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.views.i18n import set_language
from django_otp.admin import OTPAdminSite

from core.forms import NextForm, cleaned_or_400
from designations.views import public as public_views
from designations.views import verify as verify_views
from notices import urls as notices_urls
from organizations import views as organization_views

from . import views


class PortalAdminSite(OTPAdminSite):
    """The administration pages for staff whose session passed the second factor. Their
    log-in is the portal's own (password, then the code), never a second form here."""

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not staff (or not verified): no loop back to the log-in page.
            raise PermissionDenied
        followed = cleaned_or_400(
            NextForm(request.GET, host=request.get_host(), https=request.is_secure())
        )["next"]
        target = followed or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("login"))


# django-otp's documented way to make the default site (and every registration on it) require
# the second factor.
admin.site.__class__ = PortalAdminSite
admin.site.site_header = "示范司法局创建评定平台 · 管理"
admin.site.site_title = "示范司法局创建评定平台"

# The 500 page without the request's context (portal.views.server_error); the 400 page with a
# refused query's messages (portal.views.bad_request); 403 and 404 are Django's handlers with
# the portal's templates (templates/403.html, …).
handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("todo/badge/", views.todo_badge, name="todo_badge"),
    path("progress/", views.progress, name="progress"),
    path("progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("accounts/login/", organization_views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", organization_views.otp_verify_view, name="otp_verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", organization_views.otp_status_view, name="otp_status"),
    path("accounts/two-factor/enrol/", organization_views.otp_enrol_view, name="otp_enrol"),
    path(
        "accounts/two-factor/recovery-codes/",
        organization_views.otp_recovery_codes_view,
        name="otp_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/new/",
        organization_views.otp_recovery_renew_view,
        name="otp_recovery_renew",
    ),
    path(
        "accounts/password/",
        organization_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("criteria/", include("standards.urls")),
    path("applications/", include("applications.urls")),
    path("audit/", include("audit.urls")),
    path("review/province/", include("evaluation.urls")),
    path("review/", include("review.urls")),
    path("designations/notices/", notices_urls.office),
    path("designations/", include("designations.urls")),
    path("designations/", include("reinspections.urls")),
    path("public/", public_views.public_list, name="public_list"),
    path("public/list.xlsx", public_views.public_xlsx, name="public_xlsx"),
    path("public/list.pdf", public_views.public_pdf, name="public_pdf"),
    path("public/verify/", verify_views.verify, name="public_verify"),
    path("public/verify/<str:code>/", verify_views.verify_code, name="public_verify_code"),
    path("public/notices/", notices_urls.public),
    path("inbox/", organization_views.inbox, name="inbox"),
    path("inbox/read/", organization_views.inbox_read, name="inbox_read"),
    path("admin/", admin.site.urls),
]
