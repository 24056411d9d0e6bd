"""Each role's to-do counts in the browser, against the demo data; the city's and the office's
progress of every county."""

import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.deadlines import submission_deadline_for
from applications.models import Application
from applications.selectors import current_cycle
from core.dates import days_left
from evaluation.models import InspectionMember
from organizations.models import Bureau, User
from review.selectors import forwarding_deadline_for

from .login import log_in
from .test_campaign import ARGS, CHROMIUM, OUT, PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _days(deadline) -> str:
    return f"{days_left(deadline)} 天"


def _expected() -> dict[str, tuple[dict[str, str], int]]:
    """username → (label → count shown, the menu's total), from the demo's data."""
    cycle = current_cycle()
    harbin = Bureau.objects.get(code="230100")
    today = timezone.localdate()
    monday = today - timezone.timedelta(days=today.weekday())
    visits = InspectionMember.objects.filter(
        evaluator=User.objects.get(username="eval_publicity"),
        visit_date__range=(monday, monday + timezone.timedelta(days=6)),
        inspection__result="",
    ).count()
    forward_by, _extension = forwarding_deadline_for(cycle=cycle, city=harbin, now=timezone.now())
    return {
        # 道里区's draft is filled in; its deadline is the cycle's (or Harbin's earlier one).
        "dl_applicant": (
            {
                "尚待填写的项目和表单字段": "0",
                "已退回修改": "0",
                "距提交截止日期": _days(submission_deadline_for(cycle=cycle, city=harbin)),
                "待复检或整改": "0",
            },
            0,
        ),
        # 龙沙区's application was submitted: nothing left for the county.
        "ls_head": ({"已退回修改": "0", "待复检或整改": "0"}, 0),
        "hrb_reviewer": ({"待初审": "0"}, 0),
        # Harbin's forwarding batch has no stamped scan yet.
        "hrb_head": (
            {
                "待党委（党组）会议审议": "0",
                "可上报省厅": "0",
                "缺盖章上报函扫描件": "1",
                "距上报截止日期": _days(forward_by),
            },
            1,
        ),
        "qqhr_reviewer": ({"待初审": "1"}, 1),
        # 阿城区 approved and on public notice, one objection waiting; the paper register's
        # title and 道外区's (named three years ago) overdue for re-inspection; one rectifying.
        "office": (
            {
                "未分配的部分": "0",
                "待确认的书面审查结果": "0",
                "待安排的实地考核": "0",
                "待记录的审议决定": "0",
                "待公示的单位": "0",
                "待命名的单位（公示期满）": "0",
                "今后六个月内到期的复检": "0",
                "逾期的复检": "2",
                "整改期限未到": "1",
                "已过整改期限": "0",
                "待处理的异议": "1",
            },
            4,
        ),
        # Section 5 of 南岗区's application.
        "eval_publicity": (
            {"待评分的评分表": "1", "待签署的评分表": "0", "本周实地考核": str(visits)},
            1 + visits,
        ),
    }


def _todos(page) -> dict[str, str]:
    items = page.locator(".todo-list li")
    return {
        items.nth(i).locator(".todo-link").inner_text(): items.nth(i)
        .locator(".todo-count")
        .inner_text()
        for i in range(items.count())
    }


def test_each_role_sees_its_to_do_and_the_city_all_its_counties(live_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    call_command("load_demo", stdout=io.StringIO())
    expected = _expected()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for username, (todos, total) in expected.items():
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(20_000)
            try:
                log_in(page, live_server.url, username, PASSWORD)
                assert _todos(page) == todos, username
                # The menu's badge, loaded after the page.
                badge = page.locator("nav .todo-total")
                badge.wait_for()
                assert badge.get_attribute("data-count") == str(total), username
                page.screenshot(path=str(OUT / f"todo-{username}.png"), full_page=True)
                if username == "qqhr_reviewer":
                    # The count links to the list it counts.
                    page.click(".todo-list a:has-text('待初审')")
                    page.wait_for_url("**/review/?state=submitted")
                    assert "齐齐哈尔市龙沙区司法局" in page.locator("main table").inner_text()
                if username == "hrb_reviewer":
                    page.goto(live_server.url + "/progress/")
                    rows = page.locator(".progress-rows tbody tr")
                    assert rows.count() == 18
                    text = page.locator(".progress-rows").inner_text()
                    assert "共 18 个县级司法局" in text
                    started = Application.objects.filter(
                        cycle=current_cycle(), county__parent__code="230100"
                    ).count()
                    assert text.count("未申报") == 18 - started
                    draft = rows.filter(has_text="哈尔滨市道里区司法局")
                    assert "草稿" in draft.inner_text()
                    page.screenshot(path=str(OUT / "progress-city.png"), full_page=True)
                if username == "office":
                    page.goto(live_server.url + "/progress/")
                    assert "共 121 个县级司法局" in page.locator(".progress-rows").inner_text()
                    assert page.locator(".progress-totals tbody tr").count() == 13
                    page.select_option("#filter-city", label="哈尔滨市司法局")
                    page.click("main form button:has-text('筛选')")
                    assert page.locator(".progress-rows tbody tr").count() == 18
            except BaseException:
                page.screenshot(path=str(OUT / f"failed-todo-{username}.png"), full_page=True)
                (OUT / f"failed-todo-{username}.html").write_text(page.content(), encoding="utf-8")
                raise
            finally:
                page.context.close()
        browser.close()
