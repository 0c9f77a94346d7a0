from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.enterprises, name="enterprises"),
    path("monitoring/add/", views.add, name="add"),
    path("monitoring/report/", views.own_report, name="own_report"),
    path("monitoring/<int:pk>/", views.enterprise, name="enterprise"),
    path("monitoring/<int:pk>/remind/", views.remind, name="remind"),
    path("monitoring/layoffs/", views.layoffs, name="layoffs"),
    path("monitoring/layoffs/<int:pk>/", views.layoff, name="layoff"),
    path("reports/quarterly/", views.quarterly_report, name="quarterly"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/<int:pk>/", views.warning, name="warning"),
]
