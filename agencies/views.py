from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .acting import choose_agency
from .filters import AgencyFilter
from .permissions import can_view_directory
from .queries import access_agency, agency_page, directory_agencies

PAGE_SIZE = 30


@login_required
@require_GET
def directory(request):
    if not can_view_directory(request.user):
        raise Http404
    filterset = AgencyFilter(request.GET, queryset=directory_agencies(), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/directory.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@login_required
@require_GET
def detail(request, code):
    agency = access_agency(request.user, code)
    return render(request, "agencies/detail.html", agency_page(agency))


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
