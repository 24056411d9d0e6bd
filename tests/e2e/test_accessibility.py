"""axe-core on each role's main pages of the demo: no serious or critical violations."""

import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .login import log_in
from .test_campaign import ARGS, CHROMIUM, OUT, PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# username (None: not signed in) → the pages that role works on
PAGES = {
    None: ["/accounts/login/", "/public/", "/public/verify/", "/public/verify/{code}/"],
    "dl_applicant": [
        "/",
        "/applications/",
        "/applications/{draft}/",
        "/applications/{draft}/sections/2/",
        "/applications/{draft}/form/",
        "/applications/{draft}/completeness/",
    ],
    "dl_head": ["/applications/{draft}/submit/"],
    "hrb_reviewer": ["/", "/review/", "/review/applications/{forwarded}/", "/progress/"],
    "hrb_head": ["/review/meetings/", "/review/forward/", "/applications/cycles/"],
    "office": [
        "/",
        "/review/province/assignments/",
        "/review/province/ranking/",
        "/review/province/inspections/",
        "/review/province/decisions/",
        "/designations/",
        "/designations/dashboard/",
        "/designations/quota/",
        "/criteria/",
        "/progress/",
        "/applications/",
        "/review/exceptions/",
    ],
    "eval_publicity": ["/", "/review/province/sheets/", "/inbox/"],
    "sysadmin": ["/"],
    "secadmin": ["/", "/accounts/two-factor/"],
    "auditor": ["/", "/audit/"],
    "ls_head": ["/accounts/two-factor/enrol/", "/accounts/password/"],
}


def test_main_pages_have_no_serious_or_critical_violations(live_server):
    from applications.models import Application
    from designations.models import Designation

    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci).")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    call_command("load_demo", stdout=io.StringIO())
    ids = {
        "draft": Application.objects.get(county__code="230102").pk,
        "forwarded": Application.objects.get(county__code="230103").pk,
        "code": Designation.objects.get(state="revoked").verification_code,
    }
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for username, paths in PAGES.items():
            # axe is injected as an inline script, which the pages' CSP (test_csp.py) forbids.
            page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
            if username:
                log_in(page, live_server.url, username, PASSWORD)
            for path in paths:
                url = live_server.url + path.format(**ids)
                response = page.goto(url)
                assert response.status == 200, url
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
                for violation in result["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        problems.append(
                            {
                                "user": username,
                                "page": path,
                                "rule": violation["id"],
                                "impact": violation["impact"],
                                "nodes": [n["target"] for n in violation["nodes"]][:5],
                            }
                        )
            page.context.close()
        browser.close()
    (OUT / "axe.json").write_text(
        json.dumps(problems, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    assert problems == [], json.dumps(problems, ensure_ascii=False, indent=1)
