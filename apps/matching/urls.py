from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("jobs/<int:pk>/candidates/", views.job_candidates, name="job_candidates"),
    path("my/jobs/", views.my_jobs, name="my_jobs"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("jobs/<int:pk>/apply/", views.job_apply, name="job_apply"),
    path("jobs/<int:pk>/applications/", views.job_applications, name="job_applications"),
    path("jobs/<int:pk>/put-forward/<int:person_pk>/", views.put_forward_view, name="put_forward"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("my/offers/", views.my_offers, name="my_offers"),
    path("pushes/", views.pushes, name="pushes"),
    path("pushes/<int:pk>/", views.push_detail, name="push"),
    path("pushes/<int:pk>/progress/", views.push_progress, name="push_progress"),
    path("my/postings/<int:pk>/candidates/", views.my_candidates, name="my_candidates"),
    path("circles/", views.circles, name="circles"),
    path("circles/<str:code>/", views.circle, name="circle"),
    path("circles/<str:code>/outside.xlsx", views.circle_outside_export, name="circle_outside"),
]
