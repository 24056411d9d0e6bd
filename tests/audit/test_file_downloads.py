"""Each file a URL of the matrix hands out (tests/test_url_matrix.py's world, made once for the
module) is one entry of the trail; a refused download records nothing."""

import pytest
from django.urls import reverse

from audit.enums import AuditAction, Outcome
from tests.audit.test_downloads import _client, _last_id, _new_entries

# The fixtures: one of everything and its cast, made once for this module.
from tests.test_url_matrix import _made_once, cast, world  # noqa: F401

pytestmark = pytest.mark.django_db

# url name: (url kwargs from the world, who asks (None: anonymous), action, object model, key)
DOWNLOADS = {
    "applications:pdf": ({"pk": "a"}, "county_a_head", AuditAction.APPLICATION_PDF_DOWNLOAD, "a"),
    "review:cover_letter": (
        {"pk": "batch"},
        "city_a_head",
        AuditAction.COVER_LETTER_DOWNLOAD,
        "batch",
    ),
    "evaluation:inspection_report": (
        {"pk": "inspection"},
        "evaluator_publicity",
        AuditAction.INSPECTION_REPORT_DOWNLOAD,
        "inspection",
    ),
    "evaluation:application_xlsx": ({"pk": "a"}, "office", AuditAction.SCORE_SHEETS_EXPORT, "a"),
    "evaluation:ranking_xlsx": ({}, "office", AuditAction.SUMMARY_EXPORT, "cycle"),
    "designations:certificate": (
        {"pk": "designation"},
        "office",
        AuditAction.CERTIFICATE_DOWNLOAD,
        "designation",
    ),
    "designations:notice": (
        {"pk": "publication"},
        None,
        AuditAction.PUBLICATION_DOWNLOAD,
        "publication",
    ),
    "applications:evidence_download": (
        {"pk": "a", "evidence_id": "evidence"},
        "city_a_reviewer",
        AuditAction.EVIDENCE_DOWNLOAD,
        "evidence",
    ),
    "review:minutes": ({"pk": "meeting"}, "city_a_head", AuditAction.MINUTES_DOWNLOAD, "meeting"),
    "review:scan": (
        {"pk": "batch", "scan_id": "scan"},
        "office",
        AuditAction.FORWARDING_SCAN_DOWNLOAD,
        "scan",
    ),
    "evaluation:inspection_photo": (
        {"pk": "inspection", "photo_id": "photo"},
        "evaluator_publicity",
        AuditAction.INSPECTION_PHOTO_DOWNLOAD,
        "photo",
    ),
    "public_xlsx": ({}, None, AuditAction.PUBLIC_LIST_EXPORT, None),
    "public_pdf": ({}, None, AuditAction.PUBLIC_LIST_EXPORT, None),
}
OBJECT_TYPES = {
    "a": "applications.application",
    "batch": "review.forwardingbatch",
    "inspection": "evaluation.inspection",
    "cycle": "applications.cycle",
    "designation": "designations.designation",
    "publication": "designations.publication",
    "evidence": "applications.evidence",
    "meeting": "review.partymeeting",
    "scan": "review.forwardingscan",
    "photo": "evaluation.inspectionphoto",
}


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_a_download_writes_one_entry(name, world, cast):  # noqa: F811
    kwargs, who, action, key = DOWNLOADS[name]
    user = getattr(cast, who) if who else None
    client = _client(user)
    since = _last_id()
    url = reverse(name, kwargs={k: world.ids[v] for k, v in kwargs.items()})
    response = client.get(url, HTTP_USER_AGENT="test-browser")
    assert response.status_code == 200
    [entry] = _new_entries(since)
    assert (entry.action, entry.actor, entry.outcome) == (action, user, Outcome.OK)
    assert entry.actor_name == (user.username if user else "")
    assert (entry.object_type, entry.object_id) == (
        (OBJECT_TYPES[key], str(world.ids[key])) if key else ("", "")
    )
    assert entry.user_agent == "test-browser"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert entry.details["bytes"] == len(body) > 0


def test_a_refused_download_writes_nothing(world, cast):  # noqa: F811
    client = _client(cast.county_b_applicant)
    since = _last_id()
    for name in ("applications:pdf", "evaluation:application_xlsx"):
        kwargs = {"pk": world.ids["a"]}
        assert client.get(reverse(name, kwargs=kwargs)).status_code in (403, 404)
    assert _new_entries(since) == []
