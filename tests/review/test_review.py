"""The city's preliminary review, Party sign-off and forwarding, through the pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import ApplicationEvent, ReviewComment
from applications.services import application_create
from audit.enums import AuditAction
from audit.models import AuditEntry
from organizations.models import Bureau
from review.models import DeadlineExtension, ForwardingBatch, PartyMeeting, SignOff
from review.services import deadline_extension_grant
from standards.models import Item
from tests.applications.files import PDF
from tests.documents import assert_fonts_embedded, text_of
from tests.states import actor, nothing_moves, reach

from .helpers import approved, signed_off, submitted

pytestmark = pytest.mark.django_db
S = ApplicationState
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _item(application, code):
    return Item.objects.get(section__version=application.cycle.criteria_version, code=code)


def test_return_with_item_comments_then_resubmit_keeps_every_round(
    client, cast, complete_application
):
    submitted(complete_application, cast)
    item = _item(complete_application, "3.2")
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    assert "3.2" in client.get(url).content.decode()
    response = client.post(
        url,
        {"decision": "return", "reasons": "请补充公证材料", f"comment_{item.pk}": "错证率台账缺失"},
    )
    assert response.status_code == 302
    complete_application.refresh_from_db()
    assert complete_application.state == S.RETURNED
    comment = ReviewComment.objects.get(application=complete_application, item=item)
    assert (comment.round, comment.text, comment.author) == (
        1,
        "错证率台账缺失",
        cast.city_a_reviewer,
    )
    # The county sees the comment beside the item.
    client.force_login(cast.county_a_applicant)
    section = client.get(reverse("applications:section", args=[complete_application.pk, 3]))
    assert "错证率台账缺失" in section.content.decode()
    client.force_login(cast.county_a_head)
    client.post(
        reverse("applications:submit", args=[complete_application.pk]),
        {"pledge": "on", "acknowledged": "on"},
    )
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    actions = list(complete_application.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit"]


def _comments(application, *codes_and_texts) -> dict[str, str]:
    return {f"comment_{_item(application, code).pk}": text for code, text in codes_and_texts}


def test_a_return_without_reasons_keeps_the_comments_typed(client, cast, complete_application):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    typed = _comments(
        complete_application, ("3.2", "错证率台账缺失"), ("5.6", "宣传<b>照片</b>不清")
    )
    with nothing_moves():
        response = client.post(url, {"decision": "return", "reasons": "", **typed})
    assert response.status_code == 400
    body = response.content.decode()
    for name in typed:
        assert f'name="{name}"' in body
    assert "\n错证率台账缺失</textarea>" in body
    assert "\n宣传&lt;b&gt;照片&lt;/b&gt;不清</textarea>" in body
    # The summary at the top of the form names the error and links to the field.
    summary = body.split('id="form-error-summary"')[1].split("</div>")[0]
    assert 'href="#id_reasons"' in summary
    assert "请填写理由。" in summary
    assert body.index('id="form-error-summary"') < body.index('id="item-3.2"')
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    assert not ReviewComment.objects.filter(application=complete_application).exists()


def test_a_return_with_reasons_gives_the_county_the_reasons_and_every_comment(
    client, cast, complete_application
):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    typed = _comments(complete_application, ("3.2", "错证率台账缺失"), ("5.6", "宣传照片不清"))
    client.post(url, {"decision": "return", "reasons": "", **typed})  # refused first
    response = client.post(url, {"decision": "return", "reasons": "请补充材料", **typed})
    assert response["Location"] == reverse("review:dashboard")
    complete_application.refresh_from_db()
    assert complete_application.state == S.RETURNED
    stored = set(
        ReviewComment.objects.filter(application=complete_application).values_list(
            "item__code", "text", "round", "author"
        )
    )
    assert stored == {
        (None, "请补充材料", 1, cast.city_a_reviewer.pk),
        ("3.2", "错证率台账缺失", 1, cast.city_a_reviewer.pk),
        ("5.6", "宣传照片不清", 1, cast.city_a_reviewer.pk),
    }
    # The county's overview lists the reasons and each item's comment to address.
    client.force_login(cast.county_a_applicant)
    page = client.get(reverse("applications:detail", args=[complete_application.pk]))
    to_fix = page.content.decode().split('id="to-fix"')[1].split("</section>")[0]
    assert to_fix.count("<li>") == 3
    for text in ("请补充材料", "错证率台账缺失", "宣传照片不清"):
        assert text in to_fix


def test_an_over_long_comment_is_the_fields_error_and_nothing_is_saved(
    client, cast, complete_application
):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    long = "台" * 2001
    typed = _comments(complete_application, ("3.2", long), ("5.6", "宣传照片不清"))
    with nothing_moves():
        response = client.post(url, {"decision": "return", "reasons": "请补充材料", **typed})
    assert response.status_code == 400
    body = response.content.decode()
    item = _item(complete_application, "3.2")
    error = body.split(f'id="id_comment_{item.pk}_error"')[1].split("</div>")[0]
    assert "意见最多 2000 个字符（当前 2001 个）。" in error
    assert f"\n{long}</textarea>" in body  # kept whole, never cut
    assert f'href="#id_comment_{item.pk}"' in body.split('id="form-error-summary"')[1]
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    assert not ReviewComment.objects.filter(application=complete_application).exists()


def test_a_comment_of_exactly_the_limit_is_saved_whole(client, cast, complete_application):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    text = "台" * 2000
    client.post(
        url,
        {
            "decision": "return",
            "reasons": "请补充材料",
            **_comments(complete_application, ("3.2", text)),
        },
    )
    comment = ReviewComment.objects.get(application=complete_application, item__code="3.2")
    assert comment.text == text


def test_decline_needs_a_reason(client, cast, complete_application):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:application", args=[complete_application.pk])
    response = client.post(url, {"decision": "decline", "reasons": ""})
    assert response.status_code == 400
    assert 'id="id_reasons_error"' in response.content.decode()
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    client.post(url, {"decision": "decline", "reasons": "创建基础薄弱"})
    complete_application.refresh_from_db()
    assert complete_application.state == S.NOT_RECOMMENDED


def test_party_meeting_signs_off_with_minutes(client, cast, complete_application):
    approved(complete_application, cast)
    client.force_login(cast.city_a_head)
    response = client.post(
        reverse("review:meetings"),
        {
            "meeting_kind": "party_group",
            "held_on": "2026-06-30",
            "minutes_number": "哈司党组〔2026〕7号",
            "minutes": SimpleUploadedFile("党组会议纪要.pdf", PDF),
            f"outcome_{complete_application.pk}": "approved",
        },
    )
    assert response.status_code == 302
    meeting = PartyMeeting.objects.get()
    assert (meeting.minutes_number, meeting.kind, meeting.original_name) == (
        "哈司党组〔2026〕7号",
        "pdf",
        "党组会议纪要.pdf",
    )
    assert SignOff.objects.get().outcome == "approved"
    complete_application.refresh_from_db()
    assert complete_application.state == S.SIGNED_OFF


def test_minutes_that_are_not_a_document_store_nothing(client, cast, complete_application):
    approved(complete_application, cast)
    client.force_login(cast.city_a_head)
    response = client.post(
        reverse("review:meetings"),
        {
            "meeting_kind": "party_group",
            "held_on": "2026-06-30",
            "minutes_number": "7号",
            "minutes": SimpleUploadedFile("纪要.pdf", b"<html>not a pdf</html>"),
            f"outcome_{complete_application.pk}": "approved",
        },
    )
    assert response.status_code == 400
    assert 'value="7号"' in response.content.decode()  # what was typed is kept
    assert not PartyMeeting.objects.exists()
    complete_application.refresh_from_db()
    assert complete_application.state == S.CITY_APPROVED


def test_no_forwarding_without_an_approving_sign_off(client, cast, complete_application):
    signed_off(complete_application, cast, outcome="declined")
    complete_application.refresh_from_db()
    assert complete_application.state == S.NOT_RECOMMENDED
    client.force_login(cast.city_a_head)
    page = client.get(reverse("review:forward")).content.decode()
    assert f'value="{complete_application.pk}"' not in page


def test_forwarding_a_batch_with_a_cover_letter(client, cast, complete_application, tmp_path):
    signed_off(complete_application, cast)
    client.force_login(cast.city_a_head)
    response = client.post(
        reverse("review:forward"),
        {"letter_number": "哈司函〔2026〕12号", "applications": [str(complete_application.pk)]},
    )
    batch = ForwardingBatch.objects.get()
    assert response["Location"] == reverse("review:batch", args=[batch.pk])
    complete_application.refresh_from_db()
    assert complete_application.state == S.FORWARDED
    assert complete_application.forwarded_at is not None
    assert list(batch.applications.all()) == [complete_application]
    pdf = client.get(reverse("review:cover_letter", args=[batch.pk]))
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf.content)
    assert_fonts_embedded(path)
    text = text_of(path)
    assert "哈尔滨市道里区司法局" in text
    assert "哈司函〔2026〕12号" in text
    client.post(
        reverse("review:scan_upload", args=[batch.pk]),
        {"file": SimpleUploadedFile("盖章上报函.pdf", PDF)},
    )
    assert batch.scans.get().original_name == "盖章上报函.pdf"
    # The province now sees it.
    client.force_login(cast.office)
    assert (
        client.get(reverse("applications:detail", args=[complete_application.pk])).status_code
        == 200
    )


def _set_deadline(cycle, day: date) -> None:
    cycle.city_deadline = day
    cycle.save(update_fields=["city_deadline"])


@pytest.mark.parametrize(
    ("utc_now", "allowed"),
    [
        # 23:59:59.999 in Harbin
        (datetime(2026, 7, 31, 15, 59, 59, 999000, tzinfo=ZoneInfo("UTC")), True),
        (datetime(2026, 7, 31, 16, 0, 0, tzinfo=ZoneInfo("UTC")), False),  # 00:00:00 on 1 August
    ],
)
def test_deadline_is_judged_in_beijing_time_with_the_clock_in_utc(
    client, cast, complete_application, utc_now, allowed, monkeypatch
):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    signed_off(complete_application, cast)
    _set_deadline(complete_application.cycle, date(2026, 7, 31))
    client.force_login(cast.city_a_head)
    with time_machine.travel(utc_now, tick=False):
        response = client.post(
            reverse("review:forward"),
            {"letter_number": "哈司函〔2026〕12号", "applications": [str(complete_application.pk)]},
        )
    complete_application.refresh_from_db()
    if allowed:
        assert complete_application.state == S.FORWARDED
    else:
        assert response.status_code == 400
        assert "2026-07-31" in response.content.decode()
        assert complete_application.state == S.SIGNED_OFF
        assert not ForwardingBatch.objects.exists()


def test_office_extension_lets_one_city_forward_late(client, cast, complete_application):
    signed_off(complete_application, cast)
    cycle = complete_application.cycle
    _set_deadline(cycle, date(2026, 7, 31))
    august = datetime(2026, 8, 3, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(august, tick=False):
        client.force_login(cast.office)
        response = client.post(
            reverse("review:deadline_extensions"),
            {
                "city": Bureau.objects.get(code="230100").pk,
                "until": "2026-08-05",
                "reason": "暴雨致材料延误",
            },
        )
        assert response.status_code == 302
        exception = DeadlineExtension.objects.get()
        assert (exception.granted_by, exception.reason) == (cast.office, "暴雨致材料延误")
        client.force_login(cast.city_a_head)
        client.post(
            reverse("review:forward"),
            {"letter_number": "哈司函〔2026〕12号", "applications": [str(complete_application.pk)]},
        )
    complete_application.refresh_from_db()
    assert complete_application.state == S.FORWARDED
    assert ForwardingBatch.objects.get().extension == exception


def test_an_expired_exception_does_not_help(cast, complete_application):
    signed_off(complete_application, cast)
    cycle = complete_application.cycle
    _set_deadline(cycle, date(2026, 7, 31))
    with time_machine.travel(datetime(2026, 8, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        deadline_extension_grant(
            cycle=cycle,
            city=Bureau.objects.get(code="230100"),
            by=cast.office,
            until=date(2026, 8, 1),
            reason="延期",
        )
    from review.services import forwarding_batch_create

    with time_machine.travel(datetime(2026, 8, 2, 0, 0, 1, tzinfo=SHANGHAI), tick=False):
        from applications.workflow import TransitionError

        with pytest.raises(TransitionError):
            forwarding_batch_create(
                cycle=cycle, city=Bureau.objects.get(code="230100"), by=cast.city_a_head,
                applications=[complete_application], letter_number="哈司呈〔2026〕3号",
            )  # fmt: skip
    complete_application.refresh_from_db()
    assert complete_application.state == S.SIGNED_OFF


def test_only_the_office_grants_extensions(client, cast, cycle):
    client.force_login(cast.city_a_head)
    assert client.get(reverse("review:deadline_extensions")).status_code == 403
    with nothing_moves():
        response = client.post(
            reverse("review:deadline_extensions"),
            {
                "city": Bureau.objects.get(code="230100").pk,
                "until": "2099-08-03",
                "reason": "暴雨",
            },
        )
        assert response.status_code == 403


def test_other_city_cannot_see_or_act(client, cast, complete_application):
    submitted(complete_application, cast)
    url = reverse("review:application", args=[complete_application.pk])
    client.force_login(cast.city_b_reviewer)
    assert client.get(url).status_code == 404
    with nothing_moves():
        assert client.post(url, {"decision": "approve"}).status_code == 404
    body = client.get(reverse("review:dashboard")).content.decode()
    assert "哈尔滨市道里区司法局" not in body


def test_county_cannot_act_as_its_city(client, cast, complete_application):
    submitted(complete_application, cast)
    client.force_login(cast.county_a_head)
    url = reverse("review:application", args=[complete_application.pk])
    with nothing_moves():
        assert client.post(url, {"decision": "approve"}).status_code == 403
        assert client.get(reverse("review:meetings")).status_code == 403
        assert client.post(reverse("review:forward"), {}).status_code == 403


def test_city_head_reads_but_the_reviewer_decides(client, cast, complete_application):
    submitted(complete_application, cast)
    client.force_login(cast.city_a_head)
    url = reverse("review:application", args=[complete_application.pk])
    assert client.get(url).status_code == 200
    with nothing_moves():
        assert client.post(url, {"decision": "approve", "reasons": "同意"}).status_code == 403


# The rows of the page and their total (the pager).
DASHBOARD_QUERIES = 13


@pytest.mark.parametrize("count", [1, 4])
def test_dashboard_query_count_is_literal(client, cast, cycle, count, django_assert_num_queries):
    counties = Bureau.objects.filter(parent__code="230100").order_by("code")[:count]
    for county in counties:
        reach(
            application_create(cycle=cycle, county=county, by=actor("county_head", bureau=county)),
            S.SUBMITTED,
        )
    client.force_login(cast.city_a_reviewer)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        body = client.get(reverse("review:dashboard")).content.decode()
    assert body.count(reverse("review:application", args=[0]).replace("/0/", "/")) >= count


def test_state_changing_review_views_refuse_get(client, cast, complete_application):
    client.force_login(cast.city_a_head)
    assert client.get(reverse("review:scan_upload", args=[1])).status_code == 405


def test_events_record_the_ip_and_the_actor(cast, complete_application):
    approved(complete_application, cast)
    event = ApplicationEvent.objects.filter(application=complete_application).latest("id")
    assert (event.action, event.actor) == ("approve", cast.city_a_reviewer)
    assert timedelta(0) <= timezone.now() - event.created_at < timedelta(minutes=1)


def test_an_extension_is_recorded_once_with_the_address(client, cast, cycle):
    city = Bureau.objects.get(code="230100")
    client.force_login(cast.office)
    since = AuditEntry.objects.latest("id").pk
    response = client.post(
        reverse("review:deadline_extensions"),
        {"city": city.pk, "until": "2099-08-03", "reason": " 暴雨致材料延误 "},
        REMOTE_ADDR="203.0.113.8",
    )
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor, entry.ip, entry.outcome) == (
        AuditAction.DEADLINE_EXTENSION_GRANT,
        cast.office,
        "203.0.113.8",
        "ok",
    )
    assert (entry.object_type, entry.object_id) == ("review.deadlineextension", str(extension.pk))
    assert entry.details == {
        "cycle": cycle.year,
        "city": "230100",
        "until": "2099-08-03",
        "reason": "暴雨致材料延误",
    }


def test_an_extension_whose_entry_fails_is_not_granted(cast, cycle, monkeypatch):
    import review.services

    def refused(**kwargs):
        raise RuntimeError("the trail is down")

    monkeypatch.setattr(review.services, "audit_record", refused)
    with pytest.raises(RuntimeError, match="trail"):
        deadline_extension_grant(
            cycle=cycle,
            city=Bureau.objects.get(code="230100"),
            by=cast.office,
            until=timezone.localdate() + timedelta(days=2),
            reason="延期",
        )
    assert not DeadlineExtension.objects.exists()
