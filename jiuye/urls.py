from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path

from apps.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API (apps/api): documented at /api/docs, keys issued in the admin.
    path("api/", api.urls),
    # Sign-in, sign-out and changing one's password. No reset by e-mail: accounts are the
    # bureau's, and an administrator resets a forgotten password in the admin.
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("apps.accounts.urls")),
    path("", include("apps.portal.urls")),
    # Each domain app serves its own pages.
    path("", include("apps.people.urls")),
    path("", include("apps.services.urls")),
    path("", include("apps.employers.urls")),
    path("", include("apps.jobs.urls")),
    path("", include("apps.matching.urls")),
    path("", include("apps.imports.urls")),
    path("", include("apps.taxonomy.urls")),
    path("", include("apps.policies.urls")),
    path("", include("apps.indicators.urls")),
    path("", include("apps.monitoring.urls")),
    path("", include("apps.training.urls")),
    path("", include("apps.startups.urls")),
    path("", include("apps.fairs.urls")),
    path("", include("apps.gigs.urls")),
    path("", include("apps.sharing.urls")),
    path("", include("apps.cooperation.urls")),
]
# The platform's own error pages, in Chinese, with the reason (apps/portal/errors.py).
handler400 = "apps.portal.errors.bad_request"
handler403 = "apps.portal.errors.permission_denied"
handler404 = "apps.portal.errors.page_not_found"
handler500 = "apps.portal.errors.server_error"
