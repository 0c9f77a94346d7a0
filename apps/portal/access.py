"""Who may open which port: the back office is for staff, leaders and administrators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def back_office(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_back_office:
            raise PermissionDenied("仅限经办人员、领导和管理员")
        return view(request, *args, **kwargs)

    return wrapper


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
