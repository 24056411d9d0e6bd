"""Each role's main pages of the demo under the Content-Security-Policy: no violation.

Every page is loaded in Debian's chromium with the policy enforced; a violation is caught
twice, from the console ("Refused to …") and from the ``securitypolicyviolation`` event a
script added before any page script reports. The pages that run scripts are also used: the
form saves as the user types (htmx), the dashboard draws its charts (Chart.js), the
administration's export page ticks its boxes.
"""

import io
import json
import os

import pytest
from django.core.management import call_command

from .login import log_in
from .test_campaign import ARGS, CHROMIUM, OUT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Reports every violation to the test, on every page of the context, before the page's scripts.
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

# username (None: not signed in) → the pages that role works on
PAGES = {
    None: ["/accounts/login/", "/public/"],
    "dl_applicant": [
        "/",
        "/applications/",
        "/applications/{draft}/",
        "/applications/{draft}/sections/2/",
        "/applications/{draft}/form/",
        "/applications/{draft}/completeness/",
        "/inbox/",
    ],
    "dl_head": ["/", "/applications/{draft}/submit/"],
    "hrb_reviewer": ["/", "/review/", "/review/applications/{forwarded}/"],
    "hrb_head": ["/", "/review/meetings/", "/review/forward/", "/applications/cycles/"],
    "office": [
        "/",
        "/applications/{forwarded}/",
        "/review/province/assignments/",
        "/review/province/ranking/",
        "/review/province/inspections/",
        "/review/province/decisions/",
        "/designations/",
        "/designations/dashboard/",
        "/designations/quota/",
        "/criteria/",
        "/admin/",
        "/admin/standards/item/",
        "/admin/standards/item/export/",
        "/admin/standards/item/import/",
    ],
    "eval_publicity": [
        "/",
        "/review/province/sheets/",
        "/review/province/sheets/{sheet}/",
        "/review/province/inspections/",
    ],
    "sysadmin": [
        "/",
        "/admin/",
        "/admin/organizations/bureau/",
        "/admin/organizations/bureau/add/",
        "/admin/organizations/bureau/export/",
        "/admin/organizations/user/",
        "/admin/organizations/user/{office_user}/change/",
    ],
}


class Recorder:
    """What went wrong for one user, with the page it went wrong on."""

    def __init__(self, problems: list[dict], username: str | None) -> None:
        self.problems = problems
        self.username = username
        self.page = "/accounts/login/"

    def violation(self, report: dict) -> None:
        self.problems.append({"user": self.username, "page": self.page, **report})

    def console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(
                {"user": self.username, "page": self.page, "console": message.text}
            )


def _ids() -> dict:
    from applications.models import Application
    from evaluation.models import ScoreSheet
    from organizations.models import User

    sheet = (
        ScoreSheet.objects.filter(assignments__evaluator__username="eval_publicity")
        .order_by("pk")
        .first()
    )
    return {
        "draft": Application.objects.get(county__code="230102").pk,
        "forwarded": Application.objects.get(county__code="230103").pk,
        "sheet": sheet.pk,
        "office_user": User.objects.get(username="office").pk,
    }


def _use(page, path: str) -> None:
    """Do on the page what runs its scripts."""
    if path.endswith("/form/"):
        field = page.locator("main form input[type=text]").first
        with page.expect_response(lambda r: r.request.method == "POST"):
            field.press_sequentially("（核对）", delay=20)
    elif path == "/designations/dashboard/":
        drawn = page.evaluate(
            "() => Array.from(document.querySelectorAll('canvas'))"
            ".every((c) => typeof Chart !== 'undefined' && Chart.getChart(c))"
        )
        assert drawn, "the dashboard's charts were not drawn"
    elif path.endswith("/export/"):
        page.click("#select-all-toggle")
        ticked = page.locator('.selectable-field-export-row input[type="checkbox"]:checked')
        assert ticked.count() == 0, "the export page's 'select all' box does nothing"


def test_main_pages_run_under_the_policy_without_a_violation(live_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    call_command("load_demo", stdout=io.StringIO())
    ids = _ids()
    OUT.mkdir(parents=True, exist_ok=True)
    problems: list[dict] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for username, paths in PAGES.items():
            context = browser.new_context(locale="zh-CN")
            recorder = Recorder(problems, username)
            context.expose_function("cspViolation", recorder.violation)
            context.add_init_script(LISTENER)
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.on("console", recorder.console)
            if username:
                log_in(page, live_server.url, username)
            for path in paths:
                recorder.page = path
                response = page.goto(live_server.url + path.format(**ids), wait_until="networkidle")
                assert response.status == 200, path
                policy = response.headers.get("content-security-policy", "")
                assert "default-src 'self'" in policy, path
                assert "camera=()" in response.headers.get("permissions-policy", ""), path
                _use(page, path)
                page.wait_for_timeout(100)  # violation reports are delivered asynchronously
            context.close()
        browser.close()
    (OUT / "csp.json").write_text(json.dumps(problems, ensure_ascii=False, indent=2), "utf-8")
    assert problems == [], json.dumps(problems, ensure_ascii=False, indent=1)


def test_a_violation_is_caught(live_server, caplog):
    """The listener works: an inline style added to a page is reported, to the test and, by
    the browser itself, to the portal's report endpoint (the ``portal.csp`` log)."""
    import logging
    import time

    caplog.set_level(logging.WARNING, logger="portal.csp")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    caught: list[dict] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        recorder = Recorder(caught, None)
        context.expose_function("cspViolation", recorder.violation)
        context.add_init_script(LISTENER)
        page = context.new_page()
        page.on("console", recorder.console)
        page.goto(live_server.url + "/accounts/login/")
        page.evaluate(
            "() => document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
        )
        page.wait_for_timeout(200)
        # The browser sends its report on its own: wait for it before closing the browser.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            r.name == "portal.csp" for r in caplog.records
        ):
            time.sleep(0.1)
        browser.close()
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "portal.csp"]
    assert '"violated-directive": "style-src-attr"' in logged
    assert "/accounts/login/" in logged
    assert [v.get("directive") for v in caught if "directive" in v] == ["style-src-attr"]
    assert any("Content Security Policy" in v.get("console", "") for v in caught)
