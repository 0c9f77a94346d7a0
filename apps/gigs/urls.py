from django.urls import path

from . import views

app_name = "gigs"
urlpatterns = [
    path("gig/", views.today, name="today"),
    path("gig/<int:pk>/", views.gig, name="gig"),
    path("gig/post/", views.post, name="post"),
    path("gig/stations/", views.stations, name="stations"),
    path("gig/stations/<int:pk>/", views.station, name="station"),
    path("gig/stations/<int:pk>/join/", views.join, name="join"),
]
