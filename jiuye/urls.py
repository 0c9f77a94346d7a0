from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.portal.urls")),
    path("", include("apps.policies.urls")),
]
# The platform's own error pages, in Chinese, with the reason (apps/portal/errors.py).
handler400 = "apps.portal.errors.bad_request"
handler403 = "apps.portal.errors.permission_denied"
handler404 = "apps.portal.errors.page_not_found"
handler500 = "apps.portal.errors.server_error"
