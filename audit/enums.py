from django.db import models
from django.utils.translation import gettext_lazy as _

# The audit administrator's role (三员分立: reads and exports the trail, nothing else). Defined
# here, below organizations, so that both the role list and this app's pages name one value.
AUDIT_ADMIN_ROLE = "audit_admin"


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class AuditAction(models.TextChoices):
    """Every act the trail records, and the only codes ``audit_record`` accepts.

    One form for every code: ``<noun>.<verb>``, the verb in its plain form, as the services
    are named (``application_submit`` → ``application.submit``, ``evidence.download``). The
    workflow moves are ``application.<Action>`` and ``designation.<DesignationAction>``, one
    member for each move (their modules map every move to its member when they load). Codes
    written before this list existed stay in the rows (the trail is append-only): they are in
    ``LEGACY_ACTIONS`` below, which gives them a member's label and filter.
    """

    # Sign-in and accounts.
    AUTH_LOGIN = "auth.login", _("Log in")
    AUTH_LOGOUT = "auth.logout", _("Log out")
    AUTH_LOGIN_FAIL = "auth.login_fail", _("Log-in refused (wrong password)")
    AUTH_LOCK = "auth.lock", _("Username locked after failed log-ins")
    OTP_ENROLL = "otp.enroll", _("Set up the second factor")
    OTP_FAIL = "otp.fail", _("Second-factor code refused")
    OTP_RECOVERY_USE = "otp.recovery_use", _("Log in with a recovery code")
    OTP_RECOVERY_RENEW = "otp.recovery_renew", _("Replace the recovery codes")
    OTP_RESET = "otp.reset", _("Reset a user's second factor")
    PASSWORD_CHANGE = "password.change", _("Change one's password")
    PASSWORD_RESET = "password.reset", _("Reset a user's password")
    ACCOUNT_CREATE = "account.create", _("Open an account")
    ACCOUNT_CHANGE = "account.change", _("Change an account")
    ACCOUNT_DEACTIVATE = "account.deactivate", _("Deactivate an account")
    SUPERUSER_CREATE = "superuser.create", _("Create a superuser on the server")
    MEMBERSHIP_GRANT = "membership.grant", _("Grant a role")
    MEMBERSHIP_REVOKE = "membership.revoke", _("Revoke a role")
    # The administration pages and the trail itself.
    ADMIN_ADD = "admin.add", _("Add a record in the administration pages")
    ADMIN_CHANGE = "admin.change", _("Change a record in the administration pages")
    ADMIN_DELETE = "admin.delete", _("Delete a record in the administration pages")
    ADMIN_EXPORT = "admin.export", _("Export from the administration pages")
    ADMIN_IMPORT = "admin.import", _("Import in the administration pages")
    AUDIT_EXPORT = "audit.export", _("Export the audit trail")
    AUDIT_PURGE = "audit.purge", _("Purge old audit entries to an archive")
    # Criteria and cycles.
    CRITERIA_FREEZE = "criteria.freeze", _("Freeze a criteria version")
    CRITERIA_CLONE = "criteria.clone", _("Copy a criteria version")
    CYCLE_CREATE = "cycle.create", _("Create a cycle")
    CYCLE_OPEN = "cycle.open", _("Open a cycle")
    CYCLE_CLOSE = "cycle.close", _("Close a cycle")
    CYCLE_PARAMETERS_SET = "cycle.parameters_set", _("Set a cycle's figures")
    COUNTY_DEADLINE_SET = "county_deadline.set", _("Set the counties' deadline of a city")
    DEADLINE_EXTENSION_GRANT = "deadline_extension.grant", _("Grant a deadline extension")
    PROGRESS_EXPORT = "progress.export", _("Export the progress of the counties")
    # Applications: the workflow's moves (applications.enums.Action), then their files.
    APPLICATION_CREATE = "application.create", _("Application: create")
    APPLICATION_SUBMIT = "application.submit", _("Application: submit to the city")
    APPLICATION_WITHDRAW = "application.withdraw", _("Application: withdraw")
    APPLICATION_RESUBMIT = "application.resubmit", _("Application: resubmit after revision")
    APPLICATION_RETURN = "application.return", _("Application: return for revision")
    APPLICATION_APPROVE = "application.approve", _("Application: approve (preliminary review)")
    APPLICATION_DECLINE = "application.decline", _("Application: decline to recommend")
    APPLICATION_SIGN_OFF = "application.sign_off", _("Application: signed off by the Party meeting")
    APPLICATION_SIGN_OFF_DECLINE = (
        "application.sign_off_decline",
        _("Application: not passed by the Party meeting"),
    )
    APPLICATION_FORWARD = "application.forward", _("Application: forward to the province")
    APPLICATION_WRITTEN_PASS = (
        "application.written_pass",
        _("Application: confirm the written review passed"),
    )
    APPLICATION_WRITTEN_FAIL = (
        "application.written_fail",
        _("Application: confirm the written review failed"),
    )
    APPLICATION_INSPECTION_PASS = (
        "application.inspection_pass",
        _("Application: record the on-site inspection passed"),
    )
    APPLICATION_INSPECTION_FAIL = (
        "application.inspection_fail",
        _("Application: record the on-site inspection failed"),
    )
    APPLICATION_DECIDE_APPROVE = (
        "application.decide_approve",
        _("Application: approved by the Party committee"),
    )
    APPLICATION_DECIDE_REJECT = (
        "application.decide_reject",
        _("Application: not approved by the Party committee"),
    )
    APPLICATION_DESIGNATE = "application.designate", _("Application: designate")
    APPLICATION_REPORT = "application.report", _("Re-inspection report: submit to the province")
    APPLICATION_WITHDRAW_APPROVAL = (
        "application.withdraw_approval",
        _("Application: withdraw the preliminary approval"),
    )
    APPLICATION_REOPEN_WRITTEN = (
        "application.reopen_written",
        _("Application: reopen the written review's result"),
    )
    APPLICATION_NOTICE_BACK = (
        "application.notice_back",
        _("Application: back to the Party committee after an objection"),
    )
    APPLICATION_APPROVAL_WITHDRAW = (
        "application.approval_withdraw",
        _("Application: approval withdrawn after an objection"),
    )
    APPLICATION_PDF_DOWNLOAD = "application_pdf.download", _("Download an application form")
    EVIDENCE_DOWNLOAD = "evidence.download", _("Download an evidence file")
    # The cities' review and forwarding.
    COVER_LETTER_DOWNLOAD = "cover_letter.download", _("Download a cover letter")
    FORWARDING_SCAN_ADD = "forwarding_scan.add", _("Upload a stamped cover letter")
    FORWARDING_SCAN_DOWNLOAD = "forwarding_scan.download", _("Download a stamped cover letter")
    MINUTES_DOWNLOAD = "minutes.download", _("Download meeting minutes")
    # The province's evaluation.
    ASSIGNMENT_GRANT = "assignment.grant", _("Assign a score sheet to an evaluator")
    ASSIGNMENT_REVOKE = "assignment.revoke", _("Withdraw a score sheet from an evaluator")
    SCORE_SAVE = "score.save", _("Save scores")
    SCORE_SIGN = "score.sign", _("Sign a score sheet")
    SCORE_SHEETS_EXPORT = "score_sheets.export", _("Export score sheets")
    SUMMARY_EXPORT = "summary.export", _("Export the written review's summary")
    INSPECTION_SCHEDULE = "inspection.schedule", _("Schedule an on-site inspection")
    INSPECTION_REPORT_DOWNLOAD = "inspection_report.download", _("Download an inspection report")
    INSPECTION_PHOTO_DOWNLOAD = "inspection_photo.download", _("Download an inspection photo")
    # Designations: the workflow's moves (designations.enums.DesignationAction), then the rest.
    DESIGNATION_GRANT = "designation.grant", _("Designation: designate")
    DESIGNATION_REINSPECTION_DUE = (
        "designation.reinspection_due",
        _("Designation: re-inspection falls due"),
    )
    DESIGNATION_REINSPECTION_PASS = (
        "designation.reinspection_pass",
        _("Designation: re-inspection passed"),
    )
    DESIGNATION_RECTIFY = "designation.rectify", _("Designation: rectification ordered")
    DESIGNATION_RECTIFICATION_PASS = (
        "designation.rectification_pass",
        _("Designation: rectification accepted"),
    )
    DESIGNATION_RECTIFICATION_FAIL = (
        "designation.rectification_fail",
        _("Designation: rectification failed, revoked"),
    )
    DESIGNATION_REVOKE = "designation.revoke", _("Designation: revoke at once")
    PUBLICATION_PUBLISH = "publication.publish", _("Publish designations")
    PUBLICATION_DOWNLOAD = "publication.download", _("Download a naming notice")
    PUBLIC_LIST_EXPORT = "public_list.export", _("Export the public list")
    CERTIFICATE_DOWNLOAD = "certificate.download", _("Download a certificate")
    CERTIFICATE_BATCH_START = "certificate_batch.start", _("Render all certificates of a cycle")
    CERTIFICATE_BATCH_DOWNLOAD = (
        "certificate_batch.download",
        _("Download all certificates of a cycle"),
    )
    CALENDAR_ENTER = "calendar.enter", _("Enter a holiday calendar")
    CALENDAR_IMPORT = "calendar.import", _("Import a holiday calendar")
    NOTICE_OPEN = "notice.open", _("Open a public notice")
    OBJECTION_SUBMIT = "objection.submit", _("Raise an objection")
    OBJECTION_HANDLE = "objection.handle", _("Handle an objection")
    # Re-inspection and rectification.
    REINSPECTION_OPEN = "reinspection.open", _("Open a re-inspection round")
    REINSPECTION_DECIDE = "reinspection.decide", _("Decide on a re-inspection")
    REINSPECTION_XLSX_DOWNLOAD = (
        "reinspection_xlsx.download",
        _("Export a re-inspection round"),
    )
    RECTIFICATION_ORDER = "rectification.order", _("Order a rectification")
    RECTIFICATION_FILE_ADD = "rectification.file_add", _("Upload a rectification file")
    RECTIFICATION_FILE_REMOVE = "rectification.file_remove", _("Remove a rectification file")
    RECTIFICATION_SUBMIT = "rectification.submit", _("Submit a rectification report")
    RECTIFICATION_JUDGE = "rectification.judge", _("Judge a rectification requirement")
    RECTIFICATION_CONCLUDE = "rectification.conclude", _("Conclude a rectification")
    RECTIFICATION_END = (
        "rectification.end",
        _("End a rectification with the title's immediate revocation"),
    )
    RECTIFICATION_FILE_DOWNLOAD = (
        "rectification_file.download",
        _("Download a rectification file"),
    )


A = AuditAction

# The codes written before ``AuditAction`` (one tense, one form) and what each is now: old rows
# keep their code, and show and filter as the member. For display and filtering only: nothing
# writes these codes any more.
LEGACY_ACTIONS: dict[str, AuditAction] = {
    "login": A.AUTH_LOGIN,
    "logout": A.AUTH_LOGOUT,
    "login_failed": A.AUTH_LOGIN_FAIL,
    "login.locked": A.AUTH_LOCK,
    "otp.enrolled": A.OTP_ENROLL,
    "otp.failed": A.OTP_FAIL,
    "otp.recovery_used": A.OTP_RECOVERY_USE,
    "otp.recovery_renewed": A.OTP_RECOVERY_RENEW,
    "password.changed": A.PASSWORD_CHANGE,
    "account.created": A.ACCOUNT_CREATE,
    "account.changed": A.ACCOUNT_CHANGE,
    "account.deactivated": A.ACCOUNT_DEACTIVATE,
    "account.superuser_created": A.SUPERUSER_CREATE,
    "membership.granted": A.MEMBERSHIP_GRANT,
    "membership.revoked": A.MEMBERSHIP_REVOKE,
    "admin.addition": A.ADMIN_ADD,
    "admin.deletion": A.ADMIN_DELETE,
    "export.admin": A.ADMIN_EXPORT,
    "import.admin": A.ADMIN_IMPORT,
    "export.audit": A.AUDIT_EXPORT,
    "criteria.frozen": A.CRITERIA_FREEZE,
    "criteria.cloned": A.CRITERIA_CLONE,
    "cycle.created": A.CYCLE_CREATE,
    "cycle.opened": A.CYCLE_OPEN,
    "cycle.closed": A.CYCLE_CLOSE,
    "cycle.parameters": A.CYCLE_PARAMETERS_SET,
    "cycle.county_deadline": A.COUNTY_DEADLINE_SET,
    "export.progress": A.PROGRESS_EXPORT,
    "download.application_pdf": A.APPLICATION_PDF_DOWNLOAD,
    "download.evidence": A.EVIDENCE_DOWNLOAD,
    "download.cover_letter": A.COVER_LETTER_DOWNLOAD,
    "download.scan": A.FORWARDING_SCAN_DOWNLOAD,
    "download.minutes": A.MINUTES_DOWNLOAD,
    "assignment.granted": A.ASSIGNMENT_GRANT,
    "assignment.revoked": A.ASSIGNMENT_REVOKE,
    "export.score_sheets": A.SCORE_SHEETS_EXPORT,
    "export.summary": A.SUMMARY_EXPORT,
    "download.inspection_report": A.INSPECTION_REPORT_DOWNLOAD,
    "download.photo": A.INSPECTION_PHOTO_DOWNLOAD,
    "designation.publish": A.PUBLICATION_PUBLISH,
    "download.notice": A.PUBLICATION_DOWNLOAD,
    "export.public_list": A.PUBLIC_LIST_EXPORT,
    "download.certificate": A.CERTIFICATE_DOWNLOAD,
    "download.certificate_batch": A.CERTIFICATE_BATCH_DOWNLOAD,
    "notice.objection": A.OBJECTION_SUBMIT,
    "notice.objection_handle": A.OBJECTION_HANDLE,
    "designation.reinspection_open": A.REINSPECTION_OPEN,
    "designation.reinspection_decide": A.REINSPECTION_DECIDE,
    "download.reinspection_xlsx": A.REINSPECTION_XLSX_DOWNLOAD,
    "download.rectification_file": A.RECTIFICATION_FILE_DOWNLOAD,
    # A rectification's steps were written twice, once as the designation's history: the
    # rectification's own entry is the act now.
    "designation.rectification_file": A.RECTIFICATION_FILE_ADD,
    "designation.rectification_submit": A.RECTIFICATION_SUBMIT,
    "designation.requirement_judge": A.RECTIFICATION_JUDGE,
}


def action_member(code: str) -> AuditAction | None:
    """The member a stored code stands for (itself, or the one a legacy code became)."""
    if code in AuditAction.values:
        return AuditAction(code)
    return LEGACY_ACTIONS.get(code)


def action_label(code: str) -> str:
    """The label of a stored code; a code no member stands for shows as it is."""
    member = action_member(code)
    return str(member.label) if member is not None else code


def action_codes(member: AuditAction) -> list[str]:
    """The stored codes that mean ``member``: its own and its legacy ones (for a filter)."""
    return [member.value, *(code for code, new in LEGACY_ACTIONS.items() if new == member)]


# The filter's groups, by the code's noun (the part before the dot).
ACTION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        _("Sign-in and accounts"),
        ("auth", "otp", "password", "account", "superuser", "membership"),
    ),
    (_("Administration and the audit trail"), ("admin", "audit")),
    (
        _("Criteria and cycles"),
        ("criteria", "cycle", "county_deadline", "deadline_extension", "progress"),
    ),
    (_("Applications"), ("application", "application_pdf", "evidence")),
    (_("City review and forwarding"), ("cover_letter", "forwarding_scan", "minutes")),
    (
        _("Evaluation"),
        (
            "assignment",
            "score",
            "score_sheets",
            "summary",
            "inspection",
            "inspection_report",
            "inspection_photo",
        ),
    ),
    (
        _("Designations and public notices"),
        (
            "designation",
            "publication",
            "public_list",
            "certificate",
            "certificate_batch",
            "calendar",
            "notice",
            "objection",
        ),
    ),
    (
        _("Re-inspection and rectification"),
        ("reinspection", "reinspection_xlsx", "rectification", "rectification_file"),
    ),
)


def action_choices() -> list:
    """The members grouped for a select (``<optgroup>``), in the enum's order within a group."""
    return [
        (group, [(m.value, m.label) for m in AuditAction if m.value.split(".")[0] in nouns])
        for group, nouns in ACTION_GROUPS
    ]
