from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("sharing/", views.board, name="board"),
    path("sharing/<int:pk>/", views.posting, name="posting"),
    path("sharing/agreements/<int:pk>/", views.agreement, name="agreement"),
]
