"""The hook points of the applications app: where its rules need an app above it.

Each point is declared here and implemented by the app that owns the rule, registered in its
``AppConfig.ready`` (``core.hooks``). The guards named in the transition table are declared by
``applications.workflow.hook``.
"""

from collections.abc import Callable

from django.db.models import Q

from core.hooks import HookKind, HookPoint, hooks
from organizations.models import Bureau, User

# Whether an evaluator acts on this application (evaluation: on its inspection team).
EVALUATOR_SCOPE: HookPoint[Callable[[User, object], bool]] = hooks.declare(
    HookKind.SCOPE, "evaluator"
)
# Reasons a bureau may not start an application (designations: it holds the title).
CREATE_GUARDS: HookPoint[Callable[[Bureau], str | None]] = hooks.declare(
    HookKind.CREATE_GUARD, "application_create", many=True
)
# Extra applications an evaluator sees (evaluation: assigned sections, inspections).
EVALUATOR_VISIBILITY: HookPoint[Callable[[User], Q]] = hooks.declare(
    HookKind.VISIBILITY, "evaluator", many=True
)

# The opinions printed on the application form (review: the city's preliminary opinion and its
# Party meeting; evaluation: the department's decision). Each returns context entries.
FORM_OPINIONS: HookPoint[Callable[[object], dict]] = hooks.declare(
    HookKind.DOCUMENT, "application_form", many=True
)


def _guard(name: str) -> HookPoint:
    return hooks.declare(HookKind.GUARD, name)


# Guards of the transition table, by the app that owns each rule.
# review: the city's Party meeting and the forwarding deadline.
PARTY_MEETING_APPROVED = _guard("party_meeting_approved")
PARTY_MEETING_DECLINED = _guard("party_meeting_declined")
FORWARDING_OPEN = _guard("forwarding_open")
# review, for undoing the preliminary approval: no Party meeting has recorded its outcome.
PARTY_MEETING_NOT_RECORDED = _guard("party_meeting_not_recorded")
# evaluation, for reopening the written result: no visit is scheduled.
INSPECTION_NOT_SCHEDULED = _guard("inspection_not_scheduled")
# evaluation: the written review, the inspection, the committee's decision.
WRITTEN_REVIEW_COMPLETE = _guard("written_review_complete")
WRITTEN_REVIEW_PASSED = _guard("written_review_passed")
INSPECTION_PASSED = _guard("inspection_passed")
INSPECTION_FAILED = _guard("inspection_failed")
DECISION_APPROVED = _guard("decision_approved")
DECISION_REJECTED = _guard("decision_rejected")
# designations: the designation record exists.
DESIGNATION_RECORDED = _guard("designation_recorded")
# notices: an objection during the public notice (公示) was verified and upheld.
OBJECTION_UPHELD = _guard("objection_upheld")
