"""The platform's API (``/api/``), documented at ``/api/docs`` (OpenAPI 3 at
``/api/openapi.json``): ninja routers that call the apps' own services and selectors."""

from __future__ import annotations

import re

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import activities, jobs, people, subsidies
from .core import PerKeyRate, install_handlers
from .tokens import SCOPES


class Utf8(JSONRenderer):
    """Chinese as itself, not as \\u escapes (a third of the size)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8(),
    title="就业公共服务平台数据接口 Jiuye API",
    version="1",
    description=(
        "智慧就业公共服务平台的数据接口:岗位查询、岗位数据订阅(快照与变更)、岗位共享发布、"
        "人员、人岗匹配、登记与服务记录、补贴、指标等。每个请求带 `Authorization: Bearer "
        "<令牌>`;令牌由系统管理员签发,按权限范围和持有账号的管辖区域限定。错误统一为 "
        '`{"error": {"code", "message", "message_en", "field"}}`。\n\n'
        "The platform's API. Every request carries `Authorization: Bearer <key>`; keys are "
        "issued by an administrator, with scopes, and see what their holder's role and "
        "region allow. See docs/api.md."
    ),
    urls_namespace="api",
    throttle=[PerKeyRate()],
)
install_handlers(api)
api.add_router("", jobs.router)
api.add_router("", people.router)
api.add_router("", subsidies.router)
api.add_router("", activities.router)


def _documented() -> None:
    """Each operation's title from its docstring's first words (its Chinese title),
    and the scope its key needs said in its description."""
    for _, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                doc = (op.view_func.__doc__ or "").strip()
                if doc:  # "招聘中的岗位 The open jobs …": the Chinese title
                    op.summary = re.split(r" (?=[A-Z])", doc, maxsplit=1)[0][:60]
                for auth in op.auth_callbacks:
                    zh, en, _ = SCOPES[auth.scope]
                    said = f"**权限范围 scope:** `{auth.scope}` ({zh} / {en})"
                    op.description = f"{op.description or ''}\n\n{said}".strip()


_documented()
