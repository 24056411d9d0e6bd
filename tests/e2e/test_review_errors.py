"""The city's preliminary review in the browser when the form is refused: sending back without
reasons asks no confirmation, the page comes back with the error summary focused at the top of
the form and every comment as typed; with the reasons, the confirmation, and the county gets
the reasons and the comments."""

import os

import pytest

from applications.enums import ApplicationState
from applications.models import ReviewComment
from tests.review.helpers import submitted

from .login import log_in
from .test_campaign import ARGS, CHROMIUM, OUT, PASSWORD, confirm

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_send_back_without_reasons_keeps_the_comments_and_focuses_the_errors(
    live_server, cast, complete_application
):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    submitted(complete_application, cast)
    url = f"{live_server.url}/review/applications/{complete_application.pk}/"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(20_000)
        try:
            log_in(page, live_server.url, cast.city_a_reviewer.username, PASSWORD)
            page.goto(url)
            page.fill("#item-3\\.2 textarea", "请补充错证率台账")
            page.fill("#item-5\\.6 textarea", "宣传照片不清晰")
            page.check("input[name=decision][value=return]")
            # No reasons: no confirmation, the server answers with its errors.
            with page.expect_navigation():
                page.click("button:has-text('登记初审结论')")
            assert not page.locator("#confirm-dialog").is_visible()
            summary = page.locator("#form-error-summary")
            assert "请填写理由。" in summary.inner_text()
            assert page.evaluate("document.activeElement.id") == "form-error-summary"
            assert page.input_value("#item-3\\.2 textarea") == "请补充错证率台账"
            assert page.input_value("#item-5\\.6 textarea") == "宣传照片不清晰"
            # The summary's link takes the reader to the field.
            summary.locator("a[href='#id_reasons']").click()
            assert page.evaluate("document.activeElement.id") == "id_reasons"
            page.screenshot(path=str(OUT / "review-errors.png"), full_page=True)
            page.fill("#id_reasons", "材料不全")
            page.click("button:has-text('登记初审结论')")
            confirm(page, "退回")
        except BaseException:
            page.screenshot(path=str(OUT / "failed-review-errors.png"), full_page=True)
            raise
        finally:
            browser.close()
    complete_application.refresh_from_db()
    assert complete_application.state == ApplicationState.RETURNED
    assert set(
        ReviewComment.objects.filter(application=complete_application).values_list(
            "item__code", "text"
        )
    ) == {(None, "材料不全"), ("3.2", "请补充错证率台账"), ("5.6", "宣传照片不清晰")}
