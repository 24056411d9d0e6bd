"""When a rectification's deadline ends: the end of the deadline day in Beijing time (moved
here as they were from the rectification services, which the workflow's guards share)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import Rectification


def deadline_end(deadline: date) -> datetime:
    """The first instant after the deadline day, in Beijing time (the county works until the
    end of that day wherever the server runs)."""
    return datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=_beijing())


def _beijing() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "TIME_ZONE", "Asia/Shanghai") or "Asia/Shanghai")


def deadline_passed(rectification: Rectification, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= deadline_end(rectification.deadline)
