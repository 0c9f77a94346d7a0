from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("policies/", views.policy_list, name="list"),
    path("policies/services/", views.service_list, name="services"),
    path("policies/offices/", views.office_list, name="offices"),
    path("policies/<str:code>/", views.policy_detail, name="detail"),
    path("policies/<str:code>/card/", views.policy_print, name="card"),
    path("my/subsidies/", views.my_subsidies, name="mine"),
    path("my/subsidies/check/<str:code>/", views.my_check, name="check"),
    path("subsidies/sweeps/", views.sweeps, name="sweeps"),
    path("subsidies/sweeps/<int:pk>/", views.sweep_detail, name="sweep"),
    path("subsidies/sweeps/<int:pk>/status/", views.sweep_progress, name="sweep_status"),
    path("subsidies/reviews/", views.reviews, name="reviews"),
    path("subsidies/batches/", views.batches, name="batches"),
    path("subsidies/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("subsidies/funds/", views.funds, name="funds"),
]
