"""The portal's own error pages (400, 403, 404, 500, the CSRF refusal): in its layout, in the
reader's language, with a way back; never Django's bare pages (tests run with DEBUG off, as the
demo does)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "zh-hans": {"404": "页面不存在", "403": "无权访问", "400": "请求有误", "500": "服务器错误",
                "csrf": "表单已过期", "back": "返回"},
    "en": {"404": "Page not found", "403": "Not allowed", "400": "Bad request",
           "500": "Server error", "csrf": "The form has expired", "back": "Back to"},
}  # fmt: skip


def _client(language: str, how: str = "header", **kwargs) -> Client:
    client = Client(**kwargs)
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    else:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _assert_portal_page(response, status: int, language: str, key: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="navbar navbar-' in html
    assert "portal-navbar" in html
    assert LANGUAGES[language][key] in html
    assert LANGUAGES[language]["back"] in html
    assert f'href="{reverse("home")}"' in html  # the way back
    assert ('lang="zh-CN"' if language == "zh-hans" else 'lang="en"') in html
    assert "Django" not in html
    assert "Traceback" not in html
    return html


def test_the_tests_see_what_production_and_the_demo_see():
    assert settings.DEBUG is False


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("how", ["header", "cookie"])
def test_404(language, how):
    response = _client(language, how).get("/no-such-page/")
    html = _assert_portal_page(response, 404, language, "404")
    assert "/no-such-page/" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_404_of_another_bureaus_object_says_nothing_of_it(language, cast, application):
    client = _client(language)
    client.force_login(cast.county_b_applicant)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    html = _assert_portal_page(response, 404, language, "404")
    assert "No Application matches" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_403(language, cast):
    client = _client(language)
    client.force_login(cast.county_a_applicant)
    response = client.get(reverse("audit:trail"))
    html = _assert_portal_page(response, 403, language, "403")
    assert cast.county_a_applicant.get_full_name() in html  # the menu of the signed-in user
    assert "返回我的首页" in html if language == "zh-hans" else "Back to my home page" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_400(language):
    response = _client(language).get("/", HTTP_HOST="not-this-portal.example")
    _assert_portal_page(response, 400, language, "400")


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "页码必须是正整数。"), ("en", "The page must be a positive whole number.")],
)
def test_400_of_a_query_its_form_refuses_names_the_error(language, message, cast):
    client = _client(language)
    client.force_login(cast.county_a_applicant)
    response = client.get(reverse("inbox"), {"page": "abc"})
    html = _assert_portal_page(response, 400, language, "400")
    assert message in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_refusal(language, cast, password):
    client = _client(language, enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": password})
    html = _assert_portal_page(response, 403, language, "csrf")
    assert "CSRF" in html


@pytest.mark.urls("tests.portal.failing_urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_500(language):
    client = _client(language, raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "portal-navbar" in html
    assert LANGUAGES[language]["500"] in html
    assert f'href="{reverse("home")}"' in html
    assert "Traceback" not in html
    assert "RuntimeError" not in html


@pytest.mark.urls("tests.portal.failing_urls")
def test_500_when_even_its_page_fails(monkeypatch):
    import portal.views

    def broken(*args, **kwargs):
        raise ValueError("no manifest")

    monkeypatch.setattr(portal.views, "render_to_string", broken)
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html
    assert "Server error" in html
    assert "no manifest" not in html


def test_the_portal_names_its_500_handler():
    import portal.urls

    assert portal.urls.handler500 == "portal.views.server_error"
    assert portal.urls.handler400 == "portal.views.bad_request"
    assert settings.CSRF_FAILURE_VIEW == "portal.views.csrf_failure"


def test_the_demo_runs_without_debug_pages_on_the_port_it_serves():
    """`make demo PORT=8123` serves the portal's error pages (DEBUG off, development mode on),
    mails to files, links on the port served."""
    import json
    import os
    import subprocess
    import sys

    # What tests/settings.py put into the environment is not a newcomer's.
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DJANGO_DEBUG"}}
    plan = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], cwd=settings.BASE_DIR, env=clean,
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (line,) = [x for x in plan.splitlines() if "manage.py runserver 127.0.0.1:8123" in x]
    assignments = dict(word.split("=", 1) for word in line.split(" .venv/")[0].split())
    assert assignments["DJANGO_DEBUG_PAGES"] == "0"
    assert assignments["SITE_URL"] == "http://127.0.0.1:8123"
    env = {k: v for k, v in clean.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(assignments, DJANGO_SETTINGS_MODULE="portal.settings")
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.DEVELOPMENT, s.SITE_URL, s.EMAIL_BACKEND, "
        "s.WHITENOISE_USE_FINDERS]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
        text=True, check=True,
    ).stdout  # fmt: skip
    debug, development, site_url, backend, finders = json.loads(out.strip().splitlines()[-1])
    assert (debug, development, site_url) == (False, True, "http://127.0.0.1:8123")
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert finders is True
