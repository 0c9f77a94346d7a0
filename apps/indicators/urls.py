from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("indicators/", views.table, name="table"),
    path("market/", views.market, name="market"),
    path("indicators/<slug:code>/", views.behind, name="behind"),
]
