from django.apps import apps
from django.db.models import Q, QuerySet

from core.dates import day_end, day_start

from .enums import AuditAction, action_codes
from .models import AuditEntry


def audit_entries(*, filters: dict) -> QuerySet[AuditEntry]:
    """The trail, newest first, narrowed by the audit administrator's (validated) filters;
    dates are Beijing days."""
    qs = AuditEntry.objects.all()
    if filters.get("actor"):
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters.get("bureau"):
        qs = qs.filter(bureau__icontains=filters["bureau"])
    if filters.get("action"):
        # The member's code and the codes it had before (old rows keep theirs).
        qs = qs.filter(action__in=action_codes(AuditAction(filters["action"])))
    if filters.get("object"):
        term = filters["object"]
        # The page shows a type by its name: that name finds the type too.
        named = [
            model._meta.label_lower
            for model in apps.get_models()
            if term.casefold() in str(model._meta.verbose_name).casefold()
        ]
        qs = qs.filter(
            Q(object_type__icontains=term)
            | Q(object_type__in=named)
            | Q(object_id=term)
            | Q(object_repr__icontains=term)
        )
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    if filters.get("since"):
        qs = qs.filter(created_at__gte=day_start(filters["since"]))
    if filters.get("until"):
        qs = qs.filter(created_at__lt=day_end(filters["until"]))
    return qs.order_by("-id")
