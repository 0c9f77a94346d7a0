"""Writes of labour cooperation and labour brands, by staff of the region concerned.
Refusals name the field or the rule; nothing is recorded twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import user_scope_prefix
from apps.accounts.services import record_audit
from apps.people.models import Person
from apps.portal.inputs import text_field

from .models import Brand, BrandBusiness, BrandMember, Dispatch, Partner


class CooperationError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def _refuse(user: User, stored: str | None, new: str | None = None) -> None:
    refusal = change_refusal(user, stored=stored, new=new)
    if refusal:
        raise CooperationError(refusal)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise CooperationError(f"{field}:不能晚于今天")
    if day.year < 2000:
        raise CooperationError(f"{field}:日期有误")


def add_partner(*, user, region, name, kind, agreed_on, partner_region=None, contact="") -> Partner:
    _refuse(user, None, region.code)
    name = text_field(name, "协作方", CooperationError, limit=100)
    contact = text_field(contact, "联络人及电话", CooperationError, limit=100, required=False)
    if kind not in Partner.Kind.values:
        raise CooperationError("协作类型:请选择")
    _not_future(agreed_on, "签约日期")
    if Partner.objects.filter(region=region, name=name).exists():
        raise CooperationError("协作方:本区域已登记这个协作方")
    partner = Partner.objects.create(
        region=region,
        name=name,
        partner_region=partner_region,
        kind=kind,
        agreed_on=agreed_on,
        contact=contact,
    )
    record_audit(actor=user, action="cooperation.partner", obj=partner)
    return partner


def dispatch(
    *,
    user,
    partner: Partner,
    person: Person,
    workplace: str,
    left_on: dt.date,
    occupation=None,
    brand: Brand | None = None,
) -> Dispatch:
    """A person of the clerk's region sent to work with a partner of the region or of a
    region above it (a county's partner serves its streets)."""
    if not works_with(user, partner):
        raise CooperationError("协作方:请选择本辖区或上级区域的协作方")
    _refuse(user, person.community_id)
    workplace = text_field(workplace, "务工单位", CooperationError, limit=128)
    _not_future(left_on, "输出日期")
    if left_on < partner.agreed_on:
        raise CooperationError("输出日期:早于与该协作方的签约日期")
    if Dispatch.objects.filter(person=person).exclude(status=Dispatch.Status.RETURNED).exists():
        # a trip not closed (at work, or to be checked) is the person's one trip out
        raise CooperationError("该人员上一次外出务工尚未登记返乡,请先核实并登记返乡")
    row = Dispatch.objects.create(
        partner=partner,
        person=person,
        brand=brand,
        workplace=workplace,
        occupation=occupation,
        left_on=left_on,
        checked_on=left_on,
        recorded_by=user,
    )
    record_audit(actor=user, action="cooperation.dispatch", obj=row)
    return row


def check(*, user, row: Dispatch, status: str, day: dt.date) -> None:
    """The latest check on a person out at work (在岗, 转岗, 失联), or their return: by
    staff of the person's region (the record is the person's)."""
    _refuse(user, row.person.community_id)
    if status not in Dispatch.Status.values:
        raise CooperationError("状态:请选择")
    if row.status == Dispatch.Status.RETURNED:
        raise CooperationError("已登记返乡")
    _not_future(day, "核实日期")
    if day < row.checked_on:
        raise CooperationError("核实日期:早于上次核实日期")
    row.status, row.checked_on = status, day
    row.returned_on = day if status == Dispatch.Status.RETURNED else None
    row.save(update_fields=["status", "checked_on", "returned_on"])


def works_with(user, partner: Partner) -> bool:
    """A clerk works with the partners of their region and of the regions above it."""
    prefix = user_scope_prefix(user)
    if prefix is None or not user.is_clerk:
        return False
    return partner.region_id.startswith(prefix) or prefix.startswith(partner.region.scope_prefix)


def add_brand(
    *,
    user,
    region,
    name,
    occupation,
    description="",
    target_year=None,
    target_businesses=None,
    target_jobs=None,
) -> Brand:
    _refuse(user, None, region.code)
    name = text_field(name, "品牌名称", CooperationError, limit=64)
    description = text_field(description, "简介", CooperationError, limit=300, required=False)
    if occupation is None:
        raise CooperationError("主要职业:请按职业分类大典选择")
    for value, field in ((target_businesses, "经营主体目标"), (target_jobs, "带动就业目标")):
        if value is not None and not 0 < value <= 10_000_000:
            raise CooperationError(f"{field}:须为正整数")
    if target_year is not None and not 2000 <= target_year <= 2100:
        raise CooperationError("目标年度:年份有误")
    try:
        with transaction.atomic():
            brand = Brand.objects.create(
                region=region,
                name=name,
                occupation=occupation,
                description=description,
                target_year=target_year,
                target_businesses=target_businesses,
                target_jobs=target_jobs,
            )
    except IntegrityError:
        raise CooperationError("品牌名称:本区域已有这个品牌") from None
    record_audit(actor=user, action="cooperation.brand", obj=brand)
    return brand


def add_business(
    *, user, brand: Brand, name, region, jobs: int, registered_on: dt.date, employer=None
) -> BrandBusiness:
    _refuse(user, None, region.code)
    if not region.code.startswith(brand.region.scope_prefix):
        raise CooperationError("所在区域:须在品牌所属区域之内")
    name = text_field(name, "经营主体", CooperationError, limit=128)
    if not 0 <= jobs <= 100_000:
        raise CooperationError("带动就业人数:须在0至100000之间")
    _not_future(registered_on, "纳入日期")
    row = BrandBusiness.objects.create(
        brand=brand,
        name=name,
        employer=employer,
        region=region,
        jobs=jobs,
        registered_on=registered_on,
        recorded_by=user,
    )
    record_audit(actor=user, action="cooperation.business", obj=row)
    return row


def end_business(*, user, row: BrandBusiness, day: dt.date) -> None:
    _refuse(user, row.region_id)
    if row.ended_on:
        raise CooperationError("已退出")
    _not_future(day, "退出日期")
    if day < row.registered_on:
        raise CooperationError("退出日期:早于纳入日期")
    row.ended_on = day
    row.save(update_fields=["ended_on"])


def add_member(*, user, brand: Brand, person: Person) -> BrandMember:
    _refuse(user, person.community_id)
    try:
        with transaction.atomic():
            return BrandMember.objects.create(
                brand=brand, person=person, joined_on=timezone.localdate()
            )
    except IntegrityError:
        raise CooperationError("该人员已是品牌从业人员") from None
