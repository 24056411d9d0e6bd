"""When a rectification's deadline has passed: at the end of the deadline day, Beijing time
(``core.dates``), which the services and the workflow's guards share."""

from datetime import datetime

from core.dates import is_past

from .models import Rectification


def deadline_passed(rectification: Rectification, *, now: datetime | None = None) -> bool:
    return is_past(rectification.deadline, now)
