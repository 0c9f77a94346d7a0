from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "apps.employers"
    verbose_name = "用人单位"
