from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")


class ApplicationState(models.TextChoices):
    """Every state of an application, in the plan's order (architecture: the workflow)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the city")
    RETURNED = "returned", _("Returned for revision")
    CITY_APPROVED = "city_approved", _("Approved by the city")
    SIGNED_OFF = "signed_off", _("Signed off by the Party meeting")
    FORWARDED = "forwarded", _("Forwarded to the province")
    WRITTEN_PASSED = "written_passed", _("Passed the written review")
    WRITTEN_FAILED = "written_failed", _("Failed the written review")
    INSPECTED_PASSED = "inspected_passed", _("Passed the on-site inspection")
    INSPECTED_FAILED = "inspected_failed", _("Failed the on-site inspection")
    APPROVED = "approved", _("Approved by the Party committee")
    NOT_APPROVED = "not_approved", _("Not approved by the Party committee")
    DESIGNATED = "designated", _("Designated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended by the city")


class ApplicationKind(models.TextChoices):
    """What a county reports: an application for the title, or a re-inspection of a title held
    (its round, opened by the office when the designation falls due). Both use the same form,
    answers, figures, evidence, completeness, pledge and score sheets."""

    APPLICATION = "application", _("Application")
    REINSPECTION = "reinspection", _("Re-inspection")


class Action(models.TextChoices):
    """What a user does to an application; each is a row of the transition table."""

    CREATE = "create", _("Create")
    SUBMIT = "submit", _("Submit to the city")
    WITHDRAW = "withdraw", _("Withdraw")
    RESUBMIT = "resubmit", _("Resubmit after revision")
    RETURN = "return", _("Return for revision")
    APPROVE = "approve", _("Approve (preliminary review)")
    DECLINE = "decline", _("Decline to recommend")
    SIGN_OFF = "sign_off", _("Signed off by the Party meeting")
    SIGN_OFF_DECLINE = "sign_off_decline", _("Not passed by the Party meeting")
    FORWARD = "forward", _("Forward to the province")
    WRITTEN_PASS = "written_pass", _("Confirm: passed the written review")
    WRITTEN_FAIL = "written_fail", _("Confirm: failed the written review")
    INSPECTION_PASS = "inspection_pass", _("Record: passed the on-site inspection")
    INSPECTION_FAIL = "inspection_fail", _("Record: failed the on-site inspection")
    DECIDE_APPROVE = "decide_approve", _("Party committee: approved")
    DECIDE_REJECT = "decide_reject", _("Party committee: not approved")
    DESIGNATE = "designate", _("Designated a model bureau")
    # A re-inspection round goes from the county straight to the province (no city step).
    REPORT = "report", _("Submit the re-inspection report to the province")
    # Undoing a slip, each with its reason (the transition table's last block).
    WITHDRAW_APPROVAL = "withdraw_approval", _("Withdraw the preliminary approval")
    REOPEN_WRITTEN = "reopen_written", _("Reopen the written review's result")
    # After an objection during the public notice (公示) is verified and upheld.
    NOTICE_BACK = "notice_back", _("Back to the Party committee after an objection")
    APPROVAL_WITHDRAW = "approval_withdraw", _("Approval withdrawn after an objection")


# The moves that undo an earlier one; the pages ask for their reason.
UNDO_ACTIONS = (Action.WITHDRAW_APPROVAL, Action.REOPEN_WRITTEN)


class Answer(models.TextChoices):
    """The county's self-assessment of a criteria item."""

    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class EvidenceKind(models.TextChoices):
    """File types accepted as evidence, decided from the content."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    MP4 = "mp4", "MP4"


EVIDENCE_MIME = {
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.JPEG: "image/jpeg",
    EvidenceKind.PNG: "image/png",
    EvidenceKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    EvidenceKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    EvidenceKind.MP4: "video/mp4",
}
# The name's extension must agree with the type read from the content.
KIND_EXTENSIONS = {
    EvidenceKind.PDF: (".pdf",),
    EvidenceKind.JPEG: (".jpg", ".jpeg"),
    EvidenceKind.PNG: (".png",),
    EvidenceKind.DOCX: (".docx",),
    EvidenceKind.XLSX: (".xlsx",),
    EvidenceKind.MP4: (".mp4",),
}
# Shown inline where the browser can display them, once their content was checked (images
# decoded and re-encoded, PDFs parsed and free of scripts).
INLINE_KINDS = {EvidenceKind.PDF, EvidenceKind.JPEG, EvidenceKind.PNG}

# What each upload field accepts: ``store_upload(upload, kinds=…)`` and the ``accept`` attribute.
EVIDENCE_KINDS = (
    EvidenceKind.PDF,
    EvidenceKind.JPEG,
    EvidenceKind.PNG,
    EvidenceKind.DOCX,
    EvidenceKind.XLSX,
    EvidenceKind.MP4,
)
# Party meeting minutes (the city's) and the provincial Party committee's minutes.
MINUTES_KINDS = (EvidenceKind.PDF, EvidenceKind.JPEG, EvidenceKind.PNG, EvidenceKind.DOCX)
# The stamped scan of the cover letter.
SCAN_KINDS = (EvidenceKind.PDF, EvidenceKind.JPEG, EvidenceKind.PNG)
# Photos taken on site during an inspection.
PHOTO_KINDS = (EvidenceKind.JPEG, EvidenceKind.PNG)

# The progress page's stage of a county that has no application in the cycle (未申报).
NOT_STARTED = "not_started"
PROGRESS_STAGES = [(NOT_STARTED, _("Not started")), *ApplicationState.choices]
# The progress page's totals per city: each column a set of stages, in the plan's order.
PROGRESS_COLUMNS = (
    (_("Not started"), (NOT_STARTED,)),
    (_("At the county"), (ApplicationState.DRAFT, ApplicationState.RETURNED)),
    (
        _("At the city"),
        (ApplicationState.SUBMITTED, ApplicationState.CITY_APPROVED, ApplicationState.SIGNED_OFF),
    ),
    (
        _("At the province"),
        (
            ApplicationState.FORWARDED,
            ApplicationState.WRITTEN_PASSED,
            ApplicationState.INSPECTED_PASSED,
            ApplicationState.APPROVED,
        ),
    ),
    (_("Designated"), (ApplicationState.DESIGNATED,)),
    (
        _("Not continued"),
        (
            ApplicationState.WITHDRAWN,
            ApplicationState.NOT_RECOMMENDED,
            ApplicationState.WRITTEN_FAILED,
            ApplicationState.INSPECTED_FAILED,
            ApplicationState.NOT_APPROVED,
        ),
    ),
)
