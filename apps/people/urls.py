from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("my/privacy/", views.my_privacy, name="my_privacy"),
    path("my/privacy/data.xlsx", views.my_data, name="my_data"),
]
