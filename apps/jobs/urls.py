from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("welfare/", views.welfare, name="welfare"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
]
