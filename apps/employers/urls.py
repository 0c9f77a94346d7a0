from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("employers/", views.employers, name="employers"),
    path("employers/registrations/", views.registrations, name="registrations"),
    path("employers/<int:pk>/", views.employer, name="employer"),
]
