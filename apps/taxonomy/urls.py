from django.urls import path

from . import views

app_name = "taxonomy"
urlpatterns = [
    path("occupations/options/", views.occupation_options, name="occupation_options"),
]
