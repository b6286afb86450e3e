from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from .health import component_status
from .models import PAGE_SIZE
from .search import search_pages

MAX_QUERY_LENGTH = 200


class PortalLoginView(auth_views.LoginView):
    """Sign-in. django-axes watches it: see AXES_* in the settings and registration/locked_out.html.

    A signed-in user is sent to the home page, except when a page bounced them here with
    ``next``: Wagtail's admin does that to signed-in users who may not use it, so redirecting
    back would loop. They see the form, Wagtail's message, and a note with a link onwards.
    """

    def dispatch(self, request, *args, **kwargs):
        signed_in = request.user.is_authenticated
        if signed_in and request.method == "GET" and REDIRECT_FIELD_NAME not in request.GET:
            return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            context["signed_in_as"] = self.request.user
            context["continue_url"] = self.get_redirect_url()
        return context


class PortalLogoutView(auth_views.LogoutView):
    """Sign-out: POST only (Django's LogoutView refuses GET), then back to the sign-in page."""


@login_required
@require_GET
def page_search(request):
    """Search circulars and policies (Wagtail's database search backend, see portal.search)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        results = Paginator(search_pages(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/page_search.html", {"query": query, "results": results})


@never_cache
@require_GET
def health(request):
    """For load balancers and operators: each component up or down, nothing more."""
    components = component_status()
    healthy = all(item["ok"] for item in components.values() if item.get("required", True))
    status = 200 if healthy else 503
    connection.close_if_unusable_or_obsolete()
    summary = {name: {"ok": item["ok"], "backend": item["backend"]} for name, item in components.items()}
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "components": summary}, status=status
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and tools ask for whatever the page's <link rel="icon"> says."""
    path = finders.find("portal/favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115 - FileResponse closes it
