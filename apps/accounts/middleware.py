"""Staff sessions that end when left idle."""

from __future__ import annotations

from django.conf import settings


class StaffIdleTimeout:
    """A back-office session expires STAFF_IDLE_SECONDS after its last request (each
    request sets the expiry again); workers and employers keep SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_back_office:
            request.session.set_expiry(settings.STAFF_IDLE_SECONDS)
        return self.get_response(request)
