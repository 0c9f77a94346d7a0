from django.urls import path

from . import downloads, views

urlpatterns = [
    path("files/<str:kind>/<int:pk>/", downloads.download, name="download"),
    path("accounts/signup/", views.worker_signup, name="signup"),
    path("accounts/signup/employer/", views.employer_signup, name="signup_employer"),
    path("accounts/signup/verify/", views.signup_verify, name="signup_verify"),
]
