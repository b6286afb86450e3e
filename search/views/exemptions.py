"""Exemptions (豁免) of the acting agency (DESIGN §12): the keys known to be benign, exempted from
one of its models or all of them until a day, listed masked as the reader's grants require and
ended by hand when they are benign no longer. A warning's page exempts one of its subjects
(``views.triage``). Members of the owning agency only: to anyone else an exemption does not
exist (404). Every change goes through ``search.detection.actions``, which writes the search log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..detection import actions
from ..detection.models import Exemption
from ..detection.permissions import access_exemption
from ..masking import shown_key
from .screening_lists import ENTRIES_PER_PAGE, identifiers_shown, reader_or_404


@login_required
@require_GET
def exemption_list(request):
    reader = reader_or_404(request)
    identifiers = identifiers_shown(reader)
    today = timezone.localdate()
    exemptions = Exemption.objects.filter(agency=reader.agency).select_related("model", "author")
    page = Paginator(exemptions, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for exemption in page.object_list:
        exemption.shown = shown_key(exemption.kind, exemption.value, identifiers=identifiers)
        exemption.in_force = exemption.expires_on >= today
    return render(request, "search/models/exemptions.html", {"page": page})


@login_required
@require_POST
def exemption_end(request, pk):
    reader = reader_or_404(request)
    exemption = access_exemption(reader, pk)
    try:
        actions.end_exemption(acting_user=request.user, exemption=exemption)
    except actions.DetectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The exemption has ended: the next run names the key again."))
    return redirect("search:exemptions")
