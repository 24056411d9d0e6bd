"""Files handed out are entries of the trail: every export and download of a generated file.

Views call ``audited_download`` with the response they built, after the file was made (a file
that failed to render was not handed out); the admin pages' imports and exports reach
``admin_file_record`` through the hook point ``core.excel.ADMIN_FILE_RECORDED``.
"""

from django.db import models
from django.http import HttpRequest, HttpResponseBase

from .enums import AuditAction, Outcome
from .services import audit_record


def _size(response: HttpResponseBase) -> int | None:
    # A response that hands the file over elsewhere (X-Accel-Redirect, a presigned URL's
    # redirect: core.storage.private_download) names the file's size itself.
    if hasattr(response, "file_size"):
        return response.file_size
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    if not response.streaming:
        return len(response.content)
    return None


def audited_download(
    request: HttpRequest,
    response: HttpResponseBase,
    *,
    action: AuditAction,
    obj: models.Model | None = None,
    details: dict | None = None,
) -> HttpResponseBase:
    """Record that ``response``, a file, goes to the requester (anonymous allowed); return it.

    One entry: the actor (or none), ``action`` (``….export`` or ``….download``), ``obj``, and
    in ``details`` the file's size with whatever the caller adds (a cycle, a filter).
    """
    audit_record(
        action=action,
        request=request,
        obj=obj,
        details={**(details or {}), "bytes": _size(response)},
    )
    return response


# Models whose rows are personal information (个人信息): who exports them is on record.
PERSONAL_DATA_MODELS = frozenset({"organizations.user"})


def admin_file_record(
    *, request: HttpRequest, action: str, details: dict, failed: bool = False
) -> None:
    """An administration page's export or confirmed import (``core.excel``, which names the
    action by its code, ``admin.export`` or ``admin.import``: core is below this app); an
    export of people (the users' resource: names, phones, e-mail addresses) is marked as
    personal data."""
    personal = details.get("model") in PERSONAL_DATA_MODELS
    audit_record(
        action=AuditAction(action),
        request=request,
        details={**details, "personal_data": personal},
        outcome=Outcome.FAILED if failed else Outcome.OK,
    )
