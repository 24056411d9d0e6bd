from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import MarkReadForm
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
    """Mark the listed messages of the user's own as read (all unread ones when none is listed);
    an id that is not one of the user's messages is refused and nothing is marked."""
    form = MarkReadForm(
        request.POST, notifications=Notification.objects.filter(user=request.user).only("pk")
    )
    if not form.is_valid():
        messages.error(request, _("Those messages are not in your inbox."))
        return redirect("inbox")
    notifications_mark_read(user=request.user, ids=form.cleaned_data["id"] or None)
    return redirect("inbox")
