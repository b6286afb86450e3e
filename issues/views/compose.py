"""The new-issue page: a body pushes a problem to the departments that must solve it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.acting import acting_membership

from .. import workflow
from ..forms import NewIssueForm
from ..workflow.catalogue import SPECS, Action
from .limits import refuse_oversized_uploads

PUSHED_FIELDS = (
    "title",
    "description",
    "category",
    "source",
    "priority",
    "deadline",
    "lead",
    "co_handlers",
    "copied",
    "attachments",
)


@login_required
@refuse_oversized_uploads
def new_issue(request):
    membership = acting_membership(request)
    if membership is None or not SPECS[Action.PUSH].may(membership.role):
        raise Http404
    posted = request.method == "POST"
    # Bound on every POST, even an empty one (``request.POST or None`` would show a fresh form).
    form = NewIssueForm(
        request.POST if posted else None, request.FILES if posted else None, initiator=membership.agency
    )
    if posted and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PUSHED_FIELDS}
        try:
            issue = workflow.push(acting_user=request.user, agency=membership.agency, **fields)
        except workflow.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Issue %(number)s pushed.") % {"number": issue.number})
            return redirect(issue)
    status = 400 if form.is_bound else 200
    return render(request, "issues/new.html", {"form": form, "agency": membership.agency}, status=status)
