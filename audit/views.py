"""The audit administrator's page: the trail filtered, paged, and exported to Excel."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.cells import text_cell
from core.paging import page_of
from core.responses import XLSX, file_response

from .display import action_label, object_type_label, role_labels
from .enums import AuditAction
from .forms import AuditFilterForm
from .permissions import can_read_audit
from .selectors import audit_entries
from .services import audit_record

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filtered(request: HttpRequest):
    if not can_read_audit(request.user):
        raise PermissionDenied(_("The audit trail is the audit administrator's."))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries(filters=filters) if not form.errors else audit_entries(filters={})[:0]
    return form, filters, entries


@login_required
@require_GET
def trail(request: HttpRequest) -> HttpResponse:
    form, _filters, entries = _filtered(request)
    page, query = page_of(request, entries.select_related(None), per_page=PAGE_SIZE)
    return render(
        request,
        "audit/trail.html",
        {"form": form, "page": page, "query": query},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def trail_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered trail as a workbook; the export itself is an entry of the trail."""
    from openpyxl import Workbook

    _form, filters, entries = _filtered(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(
        ["时间", "用户", "角色", "单位", "地址", "操作", "对象", "结果", "详情", "操作代码"]
    )
    count = 0
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        sheet.append(
            [
                timezone.localtime(entry.created_at).replace(tzinfo=None),
                *(
                    text_cell(sheet, value)
                    for value in (
                        entry.actor_name,
                        role_labels(entry.roles),
                        entry.bureau,
                        entry.ip or "",
                        action_label(entry.action),
                        " ".join(
                            part
                            for part in (
                                object_type_label(entry.object_type),
                                entry.object_repr,
                                f"#{entry.object_id}" if entry.object_id else "",
                            )
                            if part
                        ),
                        entry.get_outcome_display(),
                        str(entry.details) if entry.details else "",
                        entry.action,
                    )
                ),
            ]
        )
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        action=AuditAction.AUDIT_EXPORT,
        request=request,
        details={"rows": count, "filters": {k: str(v) for k, v in filters.items() if v}},
    )
    return file_response(
        buffer.getvalue(),
        filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )
