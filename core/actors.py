"""The system as an actor: who acts when no person does.

Every service that changes state takes ``by``, required: the user who acts, or a
``SystemActor`` when the portal itself acts. ``by=None`` is not an actor, so forgetting it
fails instead of skipping the check. Each service asks its app's permission predicate about
``by`` before it changes anything: a predicate lets a system actor through only where the
service may be run without a person (and names which kinds), and refuses it everywhere else,
the way it refuses a user without the role.

A system actor is not a user: it holds no role, no object permission and no account, and it
is never written into a column that points at a user (``user_or_none`` gives None for it).
The audit trail records it with no user and its name (``SystemActor.trail_name``).
"""

from enum import Enum


class SystemActor(Enum):
    """The closed set of the system's own actors."""

    # The periodic jobs and the Celery tasks (``run_due_jobs``, beat): the daily job marks
    # re-inspections due.
    JOB = "job"
    # Fixtures and the management commands that load data (the province, the criteria, the
    # test factories' cast and cycles).
    LOADER = "loader"
    # ``manage.py load_demo`` (``portal/demo.py``): the demo's accounts, roles and cycles.
    DEMO = "demo"

    @property
    def trail_name(self) -> str:
        """The name the audit trail gives the act (its ``actor_name``; no user)."""
        return f"system:{self.value}"

    def __str__(self) -> str:
        return self.trail_name


def is_system(by: object, *kinds: SystemActor) -> bool:
    """Whether ``by`` is the system acting as one of ``kinds`` (as any kind when none given)."""
    return isinstance(by, SystemActor) and (not kinds or by in kinds)


def user_or_none(by):
    """The user behind ``by`` for a column that points at a user: None for the system."""
    return None if isinstance(by, SystemActor) else by
