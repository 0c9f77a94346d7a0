from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("training/", views.courses, name="courses"),
    path("training/courses/<int:pk>/", views.course, name="course"),
    path("training/enrolments/<int:pk>/withdraw/", views.withdraw_enrolment, name="withdraw"),
    path("training/record/", views.my_record, name="my_record"),
    path("training/people/<int:pk>/", views.person_record, name="person_record"),
    path("training/manage/", views.manage, name="manage"),
    path("training/institutions/", views.institutions, name="institutions"),
    path("training/institutions/<int:pk>/", views.institution, name="institution"),
    path("training/courses/<int:pk>/roster/", views.roster, name="roster"),
    path("training/vouchers/", views.vouchers, name="vouchers"),
    path("training/demand/", views.demand, name="demand"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("certificates/<int:pk>/qr.svg", views.certificate_qr, name="certificate_qr"),
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/key/", views.public_key, name="key"),
]
