from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .notifications import notifications_mark_read


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's own messages, newest first (the last 200)."""
    notifications = Notification.objects.filter(user=request.user)[:200]
    return render(request, "organizations/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("inbox")
