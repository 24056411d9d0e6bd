"""The city's cover letter for a forwarding batch (PDF)."""

from django.utils import timezone

from applications.documents import render_pdf

from .enums import MeetingKind, SignOffOutcome
from .models import ForwardingBatch, SignOff


def cover_letter_pdf(batch: ForwardingBatch) -> bytes:
    """The city's cover letter (上报函) in the letter layout of GB/T 9704-2012 (信函格式)."""
    return render_pdf(
        "review/cover_letter_pdf.html",
        {
            "letter": True,
            "batch": batch,
            "applications": batch.applications.select_related("county").order_by("county__code"),
            "printed_at": timezone.localtime(),
        },
    )


def form_city_opinion(application) -> dict:
    """The city's preliminary opinion for the application form (hook ``FORM_OPINIONS``): the
    latest sign-off of its Party meeting (kind, date, minutes number, outcome), if any."""
    sign_off = (
        SignOff.objects.filter(application=application)
        .select_related("meeting__city")
        .order_by("-meeting__held_on", "-pk")
        .first()
    )
    if sign_off is None:
        return {}
    meeting = sign_off.meeting
    return {
        "city_opinion": {
            "city": meeting.city.name,
            "meeting": "党委会议"
            if meeting.meeting_kind == MeetingKind.PARTY_COMMITTEE
            else "党组会议",
            "held_on": meeting.held_on,
            "minutes_number": meeting.minutes_number,
            "approved": sign_off.outcome == SignOffOutcome.APPROVED,
        }
    }
