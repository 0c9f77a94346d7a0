from django.urls import path

from . import views

app_name = "startups"
urlpatterns = [
    path("startups/", views.startups, name="startups"),
    path("startups/<int:pk>/", views.startup, name="startup"),
    path("startups/loans/", views.loans, name="loans"),
    path("startups/incubators/", views.incubators, name="incubators"),
    path("startups/mentors/", views.mentors, name="mentors"),
    path("startups/mine/", views.mine, name="mine"),
    path("startups/projects/", views.projects, name="projects"),
]
