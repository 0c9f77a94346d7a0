from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("cooperation/", views.board, name="board"),
    path("cooperation/dispatches/<int:pk>/", views.dispatch_detail, name="dispatch"),
    path("cooperation/brands/", views.brands, name="brands"),
    path("cooperation/brands/<int:pk>/", views.brand, name="brand"),
]
