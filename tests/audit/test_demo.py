"""The demo's own trail: it verifies as loaded, and a change behind the portal's back is named."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.enums import AuditAction
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_demo_trail_verifies_and_a_tampered_copy_does_not():
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    assert AuditEntry.objects.filter(action__startswith="application.").exists()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"审计日志完整：已核验{AuditEntry.objects.count()}条。" in out.getvalue()
    victim = AuditEntry.objects.filter(action=AuditAction.APPLICATION_SUBMIT).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(
            "UPDATE audit_auditentry SET actor_name = 'someone' WHERE id = %s", [victim.pk]
        )
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    with pytest.raises(CommandError, match=str(victim.pk)):
        call_command("audit_verify", stdout=StringIO())
