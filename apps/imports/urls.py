from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/template/<str:kind>.csv", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/rerun/", views.import_rerun, name="import_rerun"),
]
