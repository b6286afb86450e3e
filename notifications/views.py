from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import actions, events, outbox
from .models import Notification


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    """The user's notifications, newest first; what waits for working hours is not shown yet."""
    if request.method == "POST":
        pk = request.POST.get("pk")
        actions.mark_read(acting_user=request.user, pk=int(pk) if pk and pk.isdigit() else None)
        return redirect("notifications:inbox")
    live_stream = events.user_stream(request.user.pk)
    live_seq = outbox.position(live_stream)  # before the rows: nothing falls in between
    rows = Notification.objects.filter(recipient=request.user, deliver_after__lte=timezone.now())
    rows = rows.select_related("issue")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "notifications/inbox.html", {"page": page, "live_stream": live_stream, "live_seq": live_seq}
    )
