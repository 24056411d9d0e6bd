from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import Action
from applications.workflow import application_transition
from review.services import party_meeting_record, review_decide
from tests.applications.files import PDF
from tests.states import form_scan_upload


def submitted(application, cast):
    return application_transition(
        application=application,
        action=Action.SUBMIT,
        by=cast.county_a_head,
        pledge=True,
        acknowledged=True,
    )


def approved(application, cast):
    submitted(application, cast)
    return review_decide(application=application, action=Action.APPROVE, by=cast.city_a_reviewer)


def signed_off(application, cast, outcome="approved"):
    approved(application, cast)
    import datetime

    party_meeting_record(
        cycle=application.cycle,
        city=application.county.parent,
        by=cast.city_a_head,
        meeting_kind="party_committee",
        held_on=datetime.date(2026, 6, 30),
        minutes_number="哈司党〔2026〕3号",
        minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
        outcomes={application.pk: outcome},
    )
    application.refresh_from_db()
    if outcome == "approved":
        form_scan_upload(application)  # ready to forward: the county's stamped form is in
    return application
