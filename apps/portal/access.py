"""Who may open which port: the back office is for staff, leaders and administrators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.accounts.scoping import in_scope, user_scope_prefix


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


def region_asked(request, prefix: str):
    """The region asked for (?region=code), inside the viewer's scope; by default the
    viewer's own region (the whole country's top for an administrator)."""
    from apps.regions.models import Region, RegionLevel

    code = (request.GET.get("region") or "").strip()
    if not code:
        user = request.user
        if user.scope_region_id:
            return user.scope_region
        region = Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()
        if region is None:
            raise Http404("区划库为空")
        return region
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(f"区划代码“{code}”不存在")
    if prefix and not in_scope(request.user, region.code):
        raise PermissionDenied(f"{region.name}不在您的管辖区域内")
    return region


def region_named(user, code: str, error: type[Exception], field: str = "区域"):
    """The region a form names by its code (blank: the user's own), inside the user's
    scope; one refusal, naming the field, for a code that is nobody's and for another's."""
    from apps.regions.models import Region

    code = (code or "").strip()
    region = Region.objects.filter(code=code).first() if code else user.scope_region
    if region is None or not in_scope(user, region.code):
        raise error(f"{field}:须是您管辖区域内的区划")
    return region


def own_person(request):
    """The signed-in worker's own person record (None for anyone else)."""
    user = request.user
    return user.person if user.is_authenticated and user.role == "worker" else None
