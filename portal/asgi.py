"""ASGI entry point served by daphne: Django for HTTP, Channels consumers for WebSockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from twisted.web import http as twisted_http  # noqa: E402

from notifications.live.routing import websocket_urlpatterns  # noqa: E402

# A search travels in its web address (a GET: it can be bookmarked and sent on), and the browser
# repeats the address it came from in Referer. A long query in ideographs (nine bytes each in an
# address) with its stated purpose and filters, twice, is more than the 16 KiB of request line
# and headers that daphne's HTTP layer (twisted) reads by default; past it the request is cut
# off with no page at all. The portal's own limits (search.index.query.MAX_QUERY_LENGTH) fit in this.
twisted_http.HTTPChannel.totalHeadersSize = settings.REQUEST_HEAD_LIMIT
twisted_http.HTTPChannel.MAX_LENGTH = settings.REQUEST_HEAD_LIMIT  # one line, the address

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Browsers send Origin on WebSocket handshakes; only our own hosts may open one.
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
