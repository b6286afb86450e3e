from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import component_status


class PortalLoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    pass


@never_cache
@require_GET
def health(request):
    """For load balancers and operators: each component up or down, nothing more."""
    components = component_status()
    healthy = all(item["ok"] for item in components.values() if item.get("required", True))
    status = 200 if healthy else 503
    connection.close_if_unusable_or_obsolete()
    return JsonResponse(
        {"status": "ok" if healthy else "degraded",
         "components": {name: {"ok": item["ok"], "backend": item["backend"]} for name, item in components.items()}},
        status=status,
    )
