from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("people/<int:pk>/services/", views.person_service, name="person_service"),
    path("people/<int:pk>/plan/", views.person_plan, name="person_plan"),
    path("steps/<int:pk>/done/", views.plan_step_done, name="plan_step_done"),
    path("promises/", views.promises, name="promises"),
    path("ledgers/", views.ledgers, name="ledgers"),
]
