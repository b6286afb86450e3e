"""See search/urls.py: profiles of people and companies, each opened by a link signed for its reader."""

from django.urls import path

from .views import profiles

urlpatterns = [
    # ``kind`` is "person" or "company"; any other word, like a bad token, finds no page.
    path("profiles/<slug:kind>/<str:token>/", profiles.profile, name="profile"),
]
