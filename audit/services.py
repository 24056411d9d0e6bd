"""The one function that writes the audit trail, and the chain that makes it tamper-evident.

Every act that matters calls ``audit_record`` inside the act's own transaction: the entry
commits with the act or not at all. One act is one entry: a service that calls other audited
services opens ``audit_act``, and their entries become the steps of its one entry. Entries are
chained: each row's hash covers the previous row's hash and its own content, in one canonical
form (``entry_content``).
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import SystemActor
from core.net import client_ip

from .enums import AuditAction, Outcome
from .middleware import current_request, objects_recorded
from .models import AuditEntry

GENESIS = "0" * 64
# Serialises writers of the chain on PostgreSQL (an arbitrary, fixed advisory-lock key).
CHAIN_LOCK = 4_022_226


def _describe(actor) -> tuple[str, str]:
    """The actor's roles and bureaus as they are now, as text (kept with the entry)."""
    roles, bureaus = [], []
    for membership in actor.memberships.select_related("bureau", "division"):
        roles.append(membership.role)
        anchor = membership.bureau or membership.division
        if anchor is not None:
            bureaus.append(f"{getattr(anchor, 'code', '')} {anchor.name}".strip())
    return ",".join(dict.fromkeys(roles)), "；".join(dict.fromkeys(bureaus))


def entry_content(entry: AuditEntry) -> str:
    """The canonical text of an entry that its hash covers (everything but the hash)."""
    return json.dumps(
        {
            "created_at": entry.created_at.isoformat(),
            "actor": entry.actor_id,
            "actor_name": entry.actor_name,
            "roles": entry.roles,
            "bureau": entry.bureau,
            "ip": entry.ip,
            "user_agent": entry.user_agent,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "outcome": entry.outcome,
            "details": entry.details,
            "previous_hash": entry.previous_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(entry_content(entry).encode()).hexdigest()


@dataclass
class AuditAct:
    """The entry of an act under way (``audit_act``): what the act's code sets as it goes."""

    action: AuditAction
    actor: object = None
    request: HttpRequest | None = None
    obj: models.Model | None = None
    ip: str | None = None
    details: dict = field(default_factory=dict)
    steps: list[dict] = field(default_factory=list)


_act: ContextVar[AuditAct | None] = ContextVar("audit_act", default=None)


def _checked(action) -> AuditAction:
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit action {action!r} is not an AuditAction member")
    return action


@contextmanager
def audit_act(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor=None,
    obj: models.Model | None = None,
    ip: str | None = None,
    details: dict | None = None,
) -> Iterator[AuditAct]:
    """One user act, one entry, however many audited services it calls.

    Inside the block, ``audit_record`` writes nothing: each entry a service would write becomes
    a step (its action, object and details) of the act's entry, written when the block ends
    without an exception (inside the caller's transaction, like any entry). An entry of the
    act's own action (on the act's object, or when it has none yet) gives the act its object
    and details instead; the act's code may also set them on the yielded ``AuditAct`` as the
    act goes. An act inside an act is a step of the outer one.
    """
    act = AuditAct(
        action=_checked(action),
        actor=actor,
        request=request,
        obj=obj,
        ip=ip,
        details=dict(details or {}),
    )
    token = _act.set(act)
    try:
        yield act
    finally:
        _act.reset(token)
    audit_record(
        action=act.action,
        request=act.request,
        actor=act.actor,
        obj=act.obj,
        ip=act.ip,
        details={**act.details, **({"steps": act.steps} if act.steps else {})},
    )


def audit_record(
    *,
    action: AuditAction,
    request: HttpRequest | None = None,
    actor=None,
    obj: models.Model | None = None,
    outcome: str = Outcome.OK,
    details: dict | None = None,
    actor_name: str = "",
    ip: str | None = None,
) -> AuditEntry | None:
    """Append one entry to the trail, inside the caller's transaction.

    ``action`` is an ``AuditAction`` member (anything else raises ``TypeError``). ``actor`` is
    a user or a ``core.actors.SystemActor``; ``request`` gives the actor (when ``actor`` is not
    given), the client address behind the trusted proxies and the browser; ``obj`` the object
    acted on. ``actor_name`` names an actor who is not a user (a failed log-in's username); a
    system actor is recorded like one, with no user and its name (``system:job``,
    ``system:loader``, ``system:demo``). The chain's last hash is read under a lock, so
    concurrent writers never fork the chain. Inside ``audit_act`` the entry is a step of the
    act's entry instead, and None is returned.
    """
    action = _checked(action)
    if isinstance(actor, SystemActor):
        actor, actor_name = None, actor.trail_name
    act = _act.get()
    if act is not None and action == act.action and (act.obj is None or act.obj == obj):
        # The act's own entry, written by the service it called: its object and details.
        act.obj = obj if obj is not None else act.obj
        act.details.update(details or {})
        return None
    if act is not None:
        step = {"action": action.value, "details": details or {}}
        if obj is not None:
            step["object"] = f"{obj._meta.label_lower}:{obj.pk}"
        if outcome != Outcome.OK:
            step["outcome"] = outcome
        act.steps.append(step)
        return None
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    roles, bureau = _describe(actor) if actor is not None else ("", "")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=actor,
            actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
            roles=roles[:300],
            bureau=bureau[:200],
            ip=ip if ip is not None else (client_ip(request) if request is not None else None),
            user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
            action=action.value,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            outcome=outcome,
            details=details or {},
            previous_hash=last or GENESIS,
        )
        # Round-trip the JSON now, so the hash covers what the database will give back.
        entry.details = json.loads(json.dumps(entry.details, ensure_ascii=False, default=str))
        entry.hash = entry_hash(entry)
        entry.save()
    serving = current_request.get()
    if serving is not None and obj is not None:
        objects_recorded(serving).add((entry.object_type, entry.object_id))
    return entry


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def audit_chain_breaks(*, start: int | None = None) -> Iterator[Break]:
    """Walk the chain in order and yield every row whose hash or link does not hold."""
    previous = None
    rows = AuditEntry.objects.order_by("id")
    if start is not None:
        rows = rows.filter(id__gte=start)
    for entry in rows.iterator(chunk_size=2000):
        if previous is not None and entry.previous_hash != previous:
            yield Break(entry.pk, "link")
        if entry_hash(entry) != entry.hash:
            yield Break(entry.pk, "content")
        previous = entry.hash


def audit_purge(*, before, archive_dir, by=None) -> dict:
    """Remove the entries older than ``before`` (an aware datetime), which must itself be at
    least ``AUDIT_RETENTION_DAYS`` ago; they are first written to an archive file in
    ``archive_dir`` (one JSON object per line) with a signed digest beside it (HMAC-SHA256 under
    the portal's SECRET_KEY). The purge itself is recorded, with the last hash it removed, so
    the chain that remains still starts where the archive ends."""
    limit = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if before > limit:
        raise ValidationError(
            _("Entries younger than %(days)d days are kept: purge before %(limit)s at the latest.")
            % {"days": settings.AUDIT_RETENTION_DAYS, "limit": f"{limit:%Y-%m-%d}"}
        )
    old = AuditEntry.objects.filter(created_at__lt=before).order_by("id")
    if not old.exists():
        return {"removed": 0}
    folder = Path(archive_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    archive = folder / f"audit-{stamp}.jsonl"
    digest = hashlib.sha256()
    last_id = last_hash = None
    count = 0
    with archive.open("w", encoding="utf-8") as out:
        for entry in old.iterator(chunk_size=2000):
            line = json.dumps(
                {"id": entry.pk, "hash": entry.hash, **json.loads(entry_content(entry))},
                ensure_ascii=False,
                sort_keys=True,
            )
            out.write(line + "\n")
            digest.update((line + "\n").encode())
            last_id, last_hash, count = entry.pk, entry.hash, count + 1
    signature = hmac.new(settings.SECRET_KEY.encode(), digest.digest(), "sha256").hexdigest()
    (folder / f"{archive.name}.sha256").write_text(
        f"{digest.hexdigest()}  {archive.name}\nhmac-sha256 {signature}\n", encoding="utf-8"
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL audit.purge = 'on'")
        AuditEntry.objects.filter(id__lte=last_id).delete()
        audit_record(
            action=AuditAction.AUDIT_PURGE,
            actor=by,
            details={
                "removed": count,
                "up_to_id": last_id,
                "last_hash": last_hash,
                "archive": archive.name,
                "sha256": digest.hexdigest(),
            },
        )
    return {"removed": count, "archive": str(archive)}
