"""Who may read or change which record: the one decision that pages, forms, imports,
exports and the API call.

Staff (经办人员) read and change the records of their region; leaders read them; an
administrator reads and changes everything. A record belongs to the region it is stored
in: changing it needs that region in scope *and* the region it would move to, so nobody
takes a record of another region by writing their own region into it (a person who
really moved is transferred by the holding region: 人员转移)."""

from __future__ import annotations

from .models import Role, User
from .scoping import in_scope, user_scope_prefix


def may_read(user: User, region: str | None) -> bool:
    """May ``user`` see a record stored in ``region``?"""
    return region is not None and in_scope(user, region)


def change_refusal(user: User, *, stored: str | None, new: str | None = None) -> str | None:
    """Why ``user`` may not change a record stored in ``stored`` (None: a new record) so
    that it lies in ``new`` (None: where it is); None when they may."""
    if not user.is_authenticated or not (user.is_clerk or user.is_superuser):
        return "只有经办人员可以登记或修改信息"
    if user_scope_prefix(user) is None:
        return "账号未设置管辖区域,请联系管理员"
    if stored is not None and not in_scope(user, stored):
        return "该记录登记在其他区域,不在您的管辖范围内"
    if new is not None and not in_scope(user, new):
        return f"{new}不在您的管辖区域内"
    return None


def may_change(user: User, *, stored: str | None, new: str | None = None) -> bool:
    return change_refusal(user, stored=stored, new=new) is None


def is_owner(user: User, *, person_id: int | None = None, employer_id: int | None = None) -> bool:
    """The worker whose record it is, or the employer's own account."""
    if person_id is not None and user.role == Role.WORKER:
        return user.person_id == person_id
    if employer_id is not None and user.role == Role.EMPLOYER:
        return user.employer_id == employer_id
    return False


def posting_refusal(user: User, *, employer, region: str) -> str | None:
    """Why ``user`` may not publish or change a job of ``employer`` with its workplace in
    ``region``; None when they may. An employer's account publishes its own jobs; a
    partner organisation (合作机构) shares jobs whose workplace lies in the region it
    serves."""
    if user.role == Role.EMPLOYER and user.employer_id is not None:
        return None if user.employer_id == employer.pk else "只能发布本单位的岗位"
    if user.role == Role.PARTNER:
        if not user.scope_region_id:
            return "账号未设置服务区域,请联系管理员"
        if not region.startswith(user.scope_region.scope_prefix):
            return f"工作地点{region}不在本机构的服务区域内"
        return None
    return "只有已通过核验的用人单位或合作机构可以发布岗位"
