"""Pages of the accounts app: signing up (workers, employers) and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import signup
from .codes import CodeError
from .forms import CodeForm, EmployerSignupForm, WorkerSignupForm
from .requests import client_ip


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows after too many wrong passwords (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": round(settings.AXES_COOLOFF_TIME * 60),
        },
        status=429,
    )


CODES_PER_ADDRESS_HOUR = 20  # sign-ups one network address may start in an hour


def _address_allows_another(request) -> bool:
    """Each number gets few codes (codes.PER_HOUR); this bounds how many numbers one
    address can make the bureau text (SMS pumping at its cost)."""
    key = f"signup-codes:{client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) <= CODES_PER_ADDRESS_HOUR


def signup_page(request, form, kind: str, start, template="accounts/signup.html", extra=None):
    """The sign-up form; once valid, its code is sent and the code page follows."""
    if request.method == "POST" and form.is_valid() and not _address_allows_another(request):
        form.add_error(None, "本网络地址一小时内注册次数过多,请稍后再试")
    elif request.method == "POST" and form.is_valid():
        try:
            pending, code = start(form.cleaned_data)
        except (signup.SignupError, CodeError) as exc:
            form.add_error(getattr(exc, "field", None), str(exc))
        else:
            signup.save_pending(request.session, pending)
            if settings.SHOW_CODES and code:  # the demo only: there is no SMS gateway
                request.session["demo_code"] = code
            return redirect("signup_verify")
    return render(request, template, {"form": form, "kind": kind, **(extra or {})})


AFTER_SIGNUP = "after_signup"  # where a worker was going when they chose to sign up
# A sign-up made somewhere that needs no profile first (a gig station's counter):
# {"next": a page of this site, "skills": what they said they can do}.
SIGNUP_THEN = "signup_then"


def worker_signup(request):
    """A worker signs up: name, resident ID, mobile, residence; then a code. ``?next=``
    (a page of this site, such as the job they wanted to apply for) is kept for after the
    profile."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[AFTER_SIGNUP] = target
    return signup_page(
        request,
        WorkerSignupForm(request.POST or None),
        "worker",
        lambda d: signup.start_worker(
            name=d["name"],
            id_number=d["id_number"],
            phone=d["phone"],
            password=d["password1"],
            community=d["community"],
            labour_status=d["labour_status"],
        ),
    )


def employer_signup(request):
    """An employer signs up; staff of its region verify it before it publishes."""
    form = EmployerSignupForm(request.POST or None)
    return signup_page(
        request,
        form,
        "employer",
        lambda d: signup.start_employer(
            phone=d["contact_phone"], password=d["password1"], fields=form.employer_fields()
        ),
    )


def signup_verify(request):
    pending = signup.load_pending(request.session)
    if pending is None:
        return redirect("signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup.finish(pending, form.cleaned_data["code"])
        except signup.SignupError as exc:
            signup.save_pending(request.session, pending)  # its tries, when no code went
            form.add_error("code", str(exc))
        else:
            request.session.pop(signup.SESSION_KEY, None)
            request.session.pop("demo_code", None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.role == "employer":
                messages.success(request, "注册成功,单位信息待所在地经办机构核验后即可发布岗位")
                return redirect("portal:home")
            then = request.session.pop(SIGNUP_THEN, None)
            if then and user.person_id:
                skills = str(then.get("skills", "")).strip()[:200]
                if skills and not user.person.skills:
                    user.person.skills = skills
                    user.person.save(update_fields=["skills"])
                messages.success(request, "注册成功")
                return redirect(then.get("next") or "portal:home")
            messages.success(request, "注册成功,请完善求职信息,平台将为您推荐合适的岗位")
            return redirect("people:my_profile")
    return render(
        request,
        "accounts/signup_verify.html",
        {
            "form": form,
            "sent_to": signup.code_sent_to(pending),
            "demo_code": request.session.get("demo_code") if settings.SHOW_CODES else None,
        },
    )
