from django.urls import path

from . import views

app_name = "fairs"
urlpatterns = [
    path("fairs/", views.fairs, name="fairs"),
    path("fairs/<int:pk>/", views.fair, name="fair"),
    path("fairs/<int:pk>/pass/", views.admission, name="pass"),
    path("fairs/<int:pk>/pass.svg", views.admission_qr, name="pass_qr"),
    path("fairs/stands/<int:pk>/", views.stand, name="stand"),
    path("fairs/manage/", views.manage, name="manage"),
    path("fairs/<int:pk>/desk/", views.desk, name="desk"),
    path("fairs/<int:pk>/door/", views.door, name="door"),
    path("fairs/<int:pk>/door/sync/", views.door_sync, name="door_sync"),
    path("fairs/year/", views.year, name="year"),
]
