from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from designations.views import public as public_views
from designations.views import verify as verify_views
from organizations import views as organization_views
from organizations.forms import LoginForm, PortalPasswordChangeForm

from . import views

admin.site.site_header = "示范司法局创建评定平台 · 管理"
admin.site.site_title = "示范司法局创建评定平台"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
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
    path("designations/", include("designations.urls")),
    path("public/", public_views.public_list, name="public_list"),
    path("public/list.xlsx", public_views.public_xlsx, name="public_xlsx"),
    path("public/list.pdf", public_views.public_pdf, name="public_pdf"),
    path("public/verify/", verify_views.verify, name="public_verify"),
    path("inbox/", organization_views.inbox, name="inbox"),
    path("inbox/read/", organization_views.inbox_read, name="inbox_read"),
    path("admin/", admin.site.urls),
]
