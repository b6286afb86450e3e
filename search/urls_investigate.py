"""See search/urls.py."""

urlpatterns: list = []
