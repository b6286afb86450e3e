from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .acting import choose_agency


@login_required
def directory(request):
    raise Http404  # filled in with the directory


@login_required
def detail(request, code):
    raise Http404


@login_required
@require_POST
def act_as(request):
    try:
        agency_id = int(request.POST.get("agency", ""))
    except ValueError:
        agency_id = None
    if agency_id is None or not choose_agency(request, agency_id):
        messages.error(request, _("You are not a member of that agency."))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)
