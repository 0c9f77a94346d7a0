"""Who may open which port: the back office is for staff, leaders and administrators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from apps.accounts.scoping import user_scope_prefix


def back_office(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_back_office:
            raise PermissionDenied("仅限经办人员、领导和管理员")
        return view(request, *args, **kwargs)

    return wrapper


def scope_or_refuse(request) -> str:
    """The viewer's region prefix ('' for all); an account without a region sees nothing."""
    prefix = user_scope_prefix(request.user)
    if prefix is None:
        raise PermissionDenied("账号未设置管辖区域,请联系管理员")
    return prefix


def clerk_only(request) -> None:
    if not request.user.is_clerk:
        raise PermissionDenied("仅限经办人员")
