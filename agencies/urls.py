from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("act-as/", views.act_as, name="act_as"),
    path("<slug:code>/", views.detail, name="detail"),
]
