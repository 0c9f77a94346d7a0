"""Pages of the people app: the registry's lists and files, registrations at the counter
and online, the social-insurance cross-check, transfers between regions (人员转移), and a
person's own view of who looked at their information and their copy of it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.downloads import send_export
from apps.accounts.models import AccessEntry, Role
from apps.accounts.requests import client_ip
from apps.accounts.scoping import in_scope
from apps.accounts.views import AFTER_SIGNUP
from apps.portal.access import back_office, clerk_only
from apps.portal.pages import paginate
from apps.regions.models import Region
from apps.services.forms import ServiceForm
from apps.services.models import ServiceKind
from apps.services.selectors import timeline
from jiuye.exports import XLSX

from . import transfers
from .crosscheck import CrossCheckError, run_check
from .crosscheck import decide as decide_proposal
from .forms import OnlineUnemploymentForm, ProfileForm, RegistrationForm
from .models import (
    ContributionCheck,
    KeyGroup,
    LabourStatus,
    Person,
    Registration,
    Transfer,
)
from .personal_data import access_history, personal_data_workbook
from .profile import ProfileError, update_profile
from .registration import RegistrationError, end_registration, register
from .selectors import (
    household_members,
    person_detail,
    person_list,
)
from .services import open_person_file


@back_office
def transfer_list(request):
    """Transfers asked of the user's region (to accept or refuse) and those the user's
    region asked of others."""
    clerk_only(request)
    incoming, outgoing = transfers.transfers_for(request.user)
    return render(
        request,
        "people/transfers.html",
        {
            "incoming": incoming,
            "outgoing": Paginator(outgoing, 50).get_page(request.GET.get("page")),
        },
    )


@back_office
@require_POST
def transfer_decide(request, pk: int):
    clerk_only(request)
    incoming, _ = transfers.transfers_for(request.user)
    transfer = incoming.filter(pk=pk).first()
    if transfer is None:  # not there, not pending, or not held by the user's region
        raise Http404("没有这条待处理的转移申请,或不在您的管辖区域内")
    try:
        if request.POST.get("accept") == "1":
            transfers.accept(user=request.user, transfer=transfer)
            messages.success(request, f"已同意转移申请#{transfer.pk},该人员已转入新区域")
        else:
            transfers.refuse(
                user=request.user, transfer=transfer, note=request.POST.get("note", "")
            )
            messages.success(request, f"已拒绝转移申请#{transfer.pk}")
    except transfers.TransferError as exc:
        messages.error(request, str(exc))
    except Transfer.DoesNotExist:
        raise Http404 from None
    return redirect("people:transfers")


def _own_person(request) -> Person:
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    return person


@login_required
def my_privacy(request):
    """Who has looked at my information: when, which office, why (the access log)."""
    person = _own_person(request)
    return render(
        request,
        "people/my_privacy.html",
        {"page": Paginator(access_history(person), 50).get_page(request.GET.get("page"))},
    )


@login_required
def my_data(request):
    """A copy of everything the platform holds on me, as an Excel file."""
    person = _own_person(request)
    content = personal_data_workbook(person)
    return send_export(
        request,
        content=content,
        filename="my-personal-data.xlsx",
        content_type=XLSX,
        resource="本人信息副本",
        purpose=AccessEntry.Purpose.SELF,
        rows=1,
        person_ids=[person.pk],
    )


@back_office
def people(request):
    g = request.GET
    qs = person_list(
        user=request.user,
        q=g.get("q", ""),
        status=g.get("status", ""),
        group=g.get("group", ""),
        community=g.get("community", ""),
    )
    return render(
        request,
        "people/list.html",
        {
            "page": paginate(request, qs),
            "statuses": LabourStatus.choices,
            "groups": KeyGroup.choices,
        },
    )


def _render_person(request, pk: int, reveal: bool):
    try:
        person = open_person_file(user=request.user, pk=pk, ip=client_ip(request), reveal=reveal)
    except Person.DoesNotExist:
        raise Http404("没有这个人员,或不在您的管辖区域内") from None
    staff = request.user.is_clerk
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "reveal": reveal,
            "members": household_members(user=request.user, person=person),
            "timeline": timeline(person),
            "service_form": ServiceForm() if staff else None,
            "registration_form": RegistrationForm() if staff else None,
            "plan": person.plans.filter(closed_on__isnull=True).prefetch_related("steps").first(),
            "service_kinds": ServiceKind.choices,
            "today": timezone.localdate(),
            "registrations": person.registrations.select_related("employer", "office"),
        },
    )


@back_office
def person_file(request, pk: int):
    return _render_person(request, pk, reveal=False)


@back_office
@require_POST
def person_reveal(request, pk: int):
    return _render_person(request, pk, reveal=True)


def person_or_404(request, pk: int) -> Person:
    """A person of the user's region, else 404 (as for none at all)."""
    try:
        return person_detail(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404("没有这个人员,或不在您的管辖区域内") from None


@back_office
@require_POST
def person_register(request, pk: int):
    """Employment or unemployment registration at the counter, from the person's file."""
    clerk_only(request)
    person = person_or_404(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}:{'；'.join(errors)}")
        return redirect("people:person", pk=pk)
    data = form.cleaned_data
    try:
        r = register(
            user=request.user,
            person=person,
            kind=data["kind"],
            day=data["day"],
            basis=data["basis"],
            employer=data["employer"],
        )
        messages.success(request, f"已办理{r.get_kind_display()}")
    except RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect("people:person", pk=pk)


@back_office
@require_POST
def registration_end(request, pk: int):
    clerk_only(request)
    registration = Registration.objects.select_related("person").filter(pk=pk).first()
    if registration is None or not in_scope(request.user, registration.person.community_id):
        raise Http404("没有这条登记,或不在您的管辖区域内")
    try:
        end_registration(
            user=request.user, registration=registration, reason=request.POST.get("reason", "")
        )
        messages.success(request, "已注销登记")
    except RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect("people:person", pk=registration.person_id)


@login_required
def my_registration(request):
    """Unemployment registration online (网上办理) for the worker themselves."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    form = OnlineUnemploymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register(
                user=request.user,
                person=person,
                kind=Registration.Kind.UNEMPLOYMENT,
                basis=form.cleaned_data["basis"],
                channel=Registration.Channel.ONLINE,
            )
            messages.success(request, "失业登记已办理,可在“为我推荐的岗位”查看适合的岗位")
            return redirect("people:my_registration")
        except RegistrationError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "people/my_registration.html",
        {"form": form, "registrations": person.registrations.select_related("office")},
    )


@back_office
def crosschecks(request):
    """Social-insurance cross-check (社保数据比对): upload a contribution file, then decide
    each proposal."""
    clerk_only(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择缴费数据文件")
        else:
            import tempfile

            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    check = run_check(user=request.user, path=tmp.name, filename=upload.name)
                    return redirect("people:crosscheck", pk=check.pk)
                except CrossCheckError as exc:
                    messages.error(request, str(exc))
    checks = ContributionCheck.objects.filter(created_by=request.user)
    return render(request, "people/crosschecks.html", {"page": paginate(request, checks)})


@back_office
def crosscheck(request, pk: int):
    clerk_only(request)
    check = ContributionCheck.objects.filter(pk=pk, created_by=request.user).first()
    if check is None:
        raise Http404("没有这次比对")
    if request.method == "POST":
        proposal = check.proposals.filter(pk=request.POST.get("proposal")).first()
        if proposal is None:
            raise Http404("没有这条建议")
        try:
            decide_proposal(
                user=request.user, proposal=proposal, confirm=request.POST.get("confirm") == "1"
            )
        except CrossCheckError as exc:
            messages.error(request, str(exc))
        return redirect("people:crosscheck", pk=pk)
    proposals = check.proposals.select_related("person__community")
    return render(request, "people/crosscheck.html", {"check": check, "proposals": proposals})


@login_required
def my_profile(request):
    """The worker's own profile (求职信息): the sign-up's wizard, and editing later."""
    person = _own_person(request)
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_from(person),
        county=Region.objects.filter(code=person.community_id[:6]).first(),
        groups=person.tags.filter(end__isnull=True).values_list("group", flat=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(user=request.user, person=person, data=form.cleaned_data)
            messages.success(request, "求职信息已保存,“为我推荐的岗位”已按新信息更新")
            # back to where they were going when they signed up (a job they wanted), once
            return redirect(request.session.pop(AFTER_SIGNUP, None) or "matching:my_jobs")
        except ProfileError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "people/my_profile.html",
        {
            "form": form,
            "person": person,
            "certificates": person.certificates.all(),
            "going_to": request.session.get(AFTER_SIGNUP),
            "place_map": {
                "tiles": settings.MAP_TILE_URL,
                "home": [person.lat, person.lng] if person.lat is not None else None,
                "communities": [
                    {"code": code, "name": r.name, "lat": r.lat, "lng": r.lng}
                    for code, r in form.communities.items()
                ],
            },
        },
    )
