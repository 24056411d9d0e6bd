"""Personal information: the county contact shown in full to those who handle the application."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from audit.enums import AuditAction
from core.privacy import mask_name, mask_phone
from evaluation.written_review import evaluator_assign, score_sheets_ensure
from tests.clients import PortalClient
from tests.documents import text_of
from tests.states import reach


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0451-86000000", "0451-****0000"),
        ("0451-00000000", "0451-****0000"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_phone_numbers_keep_only_what_identifies_nobody(value, masked):
    assert mask_phone(value) == masked


def test_names_keep_the_family_name():
    assert mask_name("林晓申") == "林**"


@pytest.mark.django_db
def test_the_contact_is_masked_for_an_evaluator_and_shown_to_the_handlers(
    client, cast, complete_application
):
    application = reach(complete_application, ApplicationState.FORWARDED)
    sheet = next(s for s in score_sheets_ensure(application=application) if s.section.number == 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    url = reverse("applications:detail", args=[application.pk])
    phone, name = application.contact_phone, application.contact_name
    assert phone
    assert name
    for user in (cast.county_a_head, cast.city_a_reviewer, cast.office):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert phone in page, user
        assert name in page, user
    client.force_login(cast.evaluator_publicity)
    page = client.get(url).content.decode()
    assert phone not in page
    assert name not in page
    assert mask_phone(phone) in page
    assert mask_name(name) in page


@pytest.mark.django_db
def test_the_form_pdf_masks_the_contact_for_an_evaluator(
    client, cast, complete_application, tmp_path
):
    application = reach(complete_application, ApplicationState.FORWARDED)
    sheet = next(s for s in score_sheets_ensure(application=application) if s.section.number == 5)
    evaluator_assign(sheet=sheet, evaluator=cast.evaluator_publicity, by=cast.office)
    client.force_login(cast.evaluator_publicity)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(client.get(reverse("applications:pdf", args=[application.pk])).content)
    text = text_of(pdf)
    assert application.contact_phone not in text
    assert mask_phone(application.contact_phone) in text


@pytest.mark.django_db
def test_the_user_list_masks_phones_and_an_export_of_people_is_on_record(client, cast):

    from audit.models import AuditEntry
    from organizations.models import User
    from tests.excel import XLSX, admin_export

    User.objects.filter(pk=cast.county_a_head.pk).update(phone="13812345678")
    client.force_login(cast.sysadmin)
    page = client.get(reverse("admin:organizations_user_changelist")).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    exporter = PortalClient()
    exporter.force_login(cast.sysadmin)
    admin_export(exporter, "organizations_user", XLSX)
    entry = AuditEntry.objects.filter(action=AuditAction.ADMIN_EXPORT).latest("id")
    assert (entry.actor, entry.details["personal_data"]) == (cast.sysadmin, True)
    admin_export(exporter, "organizations_bureau", XLSX)
    bureaus = AuditEntry.objects.filter(action=AuditAction.ADMIN_EXPORT).latest("id")
    assert bureaus.details["personal_data"] is False
