"""Wagtail hooks of the portal."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks


@hooks.register("before_serve_page", order=-100)
def require_sign_in(page, request, serve_args, serve_kwargs):
    """Every editorial page is for signed-in staff: anonymous visitors go to the sign-in page.

    A hook rather than a view restriction stored on a page, so that no page an editor creates,
    moves or restores can ever be public. It runs before Wagtail's own hooks.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@hooks.register("construct_help_menu")
def drop_online_guides(request, menu_items):
    """The help menu links to Wagtail's online guide; intranets cannot reach it."""
    menu_items[:] = [item for item in menu_items if not str(getattr(item, "url", "")).startswith("http")]
