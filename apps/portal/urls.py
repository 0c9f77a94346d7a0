from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_file, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/services/", views.person_service, name="person_service"),
    path("promises/", views.promises, name="promises"),
    path("employers/", views.employers, name="employers"),
    path("employers/<int:pk>/", views.employer, name="employer"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
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
    path("imports/", views.imports, name="imports"),
    path("imports/template/<str:kind>.csv", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/rejected.csv", views.import_errors, name="import_errors"),
]
