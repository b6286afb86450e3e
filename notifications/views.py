from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from . import actions
from .forms import PreferenceForm
from .inbox import digest_readers
from .live import events, outbox
from .models import Delivery, Notification

# The inbox's tabs: ?show=… → the rows they keep; "all" keeps every one.
SHOWN = {"unread": {"read_at__isnull": True}, "read": {"read_at__isnull": False}}
TABS = [("all", gettext_lazy("All")), ("unread", gettext_lazy("Unread")), ("read", gettext_lazy("Read"))]


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    """The user's notifications, newest first; what waits for working hours is not shown yet."""
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "all"
    if request.method == "POST":
        pk = request.POST.get("pk")
        actions.mark_read(acting_user=request.user, pk=int(pk) if pk and pk.isdigit() else None)
        # Back to the tab the form was on (a form without an action posts to the page's URL).
        url = reverse("notifications:inbox")
        return redirect(f"{url}?show={show}" if show in SHOWN else url)
    live_stream = events.user_stream(request.user.pk)
    live_seq = outbox.position(live_stream)  # before the rows: nothing falls in between
    rows = Notification.objects.inbox(request.user.pk).filter(**SHOWN.get(show, {}))
    page = Paginator(rows.select_related("issue"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "show": show, "tabs": TABS, "live_stream": live_stream, "live_seq": live_seq},
    )


@login_required
@require_GET
def open_notification(request, pk: int):
    """Follow a notification's link: it is read once opened. Only its recipient may.

    A GET that writes, because it is a plain link: marking one's own notification read is
    idempotent, and a forged request can do no more than that.
    """
    note = get_object_or_404(Notification.objects.inbox(request.user.pk), pk=pk)
    actions.mark_read(acting_user=request.user, pk=note.pk)
    return redirect(note.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Immediate or digest delivery of the user's notifications."""
    digest = request.user.pk in digest_readers([request.user.pk])
    initial = {"delivery": Delivery.DIGEST if digest else Delivery.IMMEDIATE}
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        actions.set_delivery(acting_user=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
