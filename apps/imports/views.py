"""Pages of the imports app: uploads, progress, templates, interrupted runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.portal.access import back_office
from apps.portal.pages import own_or_404, paginate
from jiuye.exports import CSV, csv_bytes

from .forms import ImportForm
from .models import ImportJob
from .registry import get_spec
from .services import ImportRerunError, create_import, enqueue_import, rerun_import


def _own_import(request, pk: int) -> ImportJob:
    return own_or_404(request, ImportJob, pk, "没有这个导入任务")


@back_office
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = create_import(
            kind=form.cleaned_data["kind"], file=upload, filename=upload.name, user=request.user
        )
        enqueue_import(job)
        return redirect("imports:import", pk=job.pk)
    jobs = ImportJob.objects.all()
    if request.user.role != Role.ADMIN:
        jobs = jobs.filter(created_by=request.user)
    page = paginate(request, jobs)
    for job in page:
        job.check_alive()
    return render(request, "imports/list.html", {"form": form, "page": page})


@back_office
def import_detail(request, pk: int):
    job = _own_import(request, pk)
    job.check_alive()
    spec = get_spec(job.kind)
    return render(request, "imports/detail.html", {"job": job, "spec": spec})


@back_office
def import_progress(request, pk: int):
    job = _own_import(request, pk)
    job.check_alive()
    response = render(request, "imports/_progress.html", {"job": job})
    if job.finished:  # the page shows the results and rejected rows: load it whole, once
        response["HX-Refresh"] = "true"
    return response


@back_office
@require_POST
def import_rerun(request, pk: int):
    """Run an interrupted import again, from the same stored file."""
    job = _own_import(request, pk)
    job.check_alive()
    try:
        rerun_import(job, user=request.user)
        messages.success(request, "已重新开始导入")
    except ImportRerunError as exc:
        messages.error(request, str(exc))
    return redirect("imports:import", pk=pk)


@back_office
def import_template(request, kind: str):
    try:
        spec = get_spec(kind)
    except KeyError:
        raise Http404 from None
    header = [f"{c.header}*" if c.required else c.header for c in spec.columns]
    response = HttpResponse(csv_bytes(header, []), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.csv"'
    return response
