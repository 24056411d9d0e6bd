"""Run in a benchmark database's environment (``python -m tests.perf.prepare``): log the demo
people in (sessions past the second factor, as after the code) and print, as JSON, their
session keys and the pages to serve, with the ids of this database."""

import json
import sys
import time

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    from applications.models import Application, Cycle
    from designations.models import Designation
    from evaluation.models import ScoreSheet
    from organizations.models import User
    from organizations.two_factor import totp_device_of
    from portal.middleware import TOUCHED_KEY

    sessions = {}
    for username in ("office", "eval_publicity", "hrb_reviewer", "dl_applicant"):
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device = totp_device_of(user)
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[TOUCHED_KEY] = int(time.time())
        session.create()
        sessions[username] = session.session_key
    cycle = Cycle.objects.order_by("-year").first()
    draft = Application.objects.get(cycle=cycle, county__code="230102")
    sheet = ScoreSheet.objects.filter(
        application__cycle=cycle, application__county__code="230103", section__number=5
    ).get()
    designation = Designation.objects.filter(bureau__code="230184").get()
    pages = [
        # (name, kind, user, path)
        ("baseline", "html", "office", "/bench/baseline/"),
        ("home", "html", "office", reverse("home")),
        (
            "application detail",
            "html",
            "dl_applicant",
            reverse("applications:detail", args=[draft.pk]),
        ),
        ("application form", "html", "dl_applicant", reverse("applications:form", args=[draft.pk])),
        ("city dashboard", "html", "hrb_reviewer", reverse("review:dashboard")),
        ("ranking", "html", "office", reverse("evaluation:ranking")),
        ("score sheet", "html", "eval_publicity", reverse("evaluation:sheet", args=[sheet.pk])),
        ("my sheets", "html", "eval_publicity", reverse("evaluation:my_sheets")),
        ("office dashboard", "html", "office", reverse("designations:dashboard")),
        ("register", "html", "office", reverse("designations:register")),
        ("inbox", "html", "office", reverse("inbox")),
        ("/public/", "html", "", reverse("public_list")),
        ("汇总表", "xlsx", "office", reverse("evaluation:ranking_xlsx")),
        ("public-list Excel", "xlsx", "", reverse("public_xlsx")),
        (
            "certificate PDF",
            "pdf",
            "office",
            reverse("designations:certificate", args=[designation.pk]),
        ),
        (
            "application-form PDF",
            "pdf",
            "dl_applicant",
            reverse("applications:pdf", args=[draft.pk]),
        ),
    ]
    from django.conf import settings

    result = {"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions, "pages": pages}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
