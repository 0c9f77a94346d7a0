from django.urls import path

from . import downloads

urlpatterns = [
    path("files/<str:kind>/<int:pk>/", downloads.download, name="download"),
]
