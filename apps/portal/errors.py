"""The platform's own error pages: in Chinese, saying why, and never listing the URL
patterns or settings (DEBUG is off by default)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

_GENERIC = {
    400: "请求无法处理,请检查后重试。",
    403: "您没有权限访问此页面。",
    404: "您访问的页面不存在,或不在您的管辖区域内。",
    500: "服务器内部错误,已记录,请稍后重试。",
}
_TITLES = {400: "请求有误", 403: "无权访问", 404: "页面不存在", 500: "服务器错误"}


def _reason(exception) -> str:
    """The message a view raised with (they are written for the user), if it gave one."""
    message = exception.args[0] if exception is not None and exception.args else None
    return message if isinstance(message, str) and message else ""


def _page(request, status: int, reason: str = ""):
    return render(
        request,
        "portal/error.html",
        {"status": status, "title": _TITLES[status], "reason": reason or _GENERIC[status]},
        status=status,
    )


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, 403, _reason(exception))


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, 404, _reason(exception))


@requires_csrf_token
def server_error(request):
    # No context processors' data: the fault may lie in them.
    return render(
        None,
        "portal/error.html",
        {"status": 500, "title": _TITLES[500], "reason": _GENERIC[500], "bare": True},
        status=500,
    )


def csrf_failure(request, reason: str = ""):
    """A form sent without a valid CSRF token (often: the page was open for too long)."""
    return _page(
        request, 403, "表单已过期或来源无法验证,请返回上一页刷新后重新提交(需要启用Cookie)。"
    )
