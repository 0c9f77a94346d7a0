from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_file, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/registrations/", views.person_register, name="person_register"),
    path("registrations/<int:pk>/end/", views.registration_end, name="registration_end"),
    path("my/registration/", views.my_registration, name="my_registration"),
    path("crosschecks/", views.crosschecks, name="crosschecks"),
    path("crosschecks/<int:pk>/", views.crosscheck, name="crosscheck"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("my/privacy/", views.my_privacy, name="my_privacy"),
    path("my/profile/", views.my_profile, name="my_profile"),
    path("my/privacy/data.xlsx", views.my_data, name="my_data"),
]
