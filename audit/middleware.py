"""The request being served, for audit entries written where no request is passed (the
administration pages' own change log), and the objects whose acts it has recorded."""

from contextvars import ContextVar

current_request: ContextVar = ContextVar("audit_current_request", default=None)


def objects_recorded(request) -> set[tuple[str, str]]:
    """The objects (type, id) that entries written while serving ``request`` were about: the
    administration pages' change log of an act a service recorded already is the same act."""
    return request.__dict__.setdefault("_audit_objects_recorded", set())


class AuditRequestMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
