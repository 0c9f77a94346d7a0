"""The one way personal data leaves the platform as a file.

Uploaded and generated files live in ``PrivateStorage``, which no URL serves. A stored
file is downloaded through ``download`` (``/files/<kind>/<pk>/``): the kind's own rule
decides whether this user may have this record's file, and the access log records who
took which file. Generated exports (ledgers, lists) go out through ``send_export``,
which records who took what, with which filter and how many rows, and whom it names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .models import AccessEntry
from .requests import client_ip
from .services import record_taking


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that have no address of their own."""

    def url(self, name):
        raise ValueError("私有文件没有直接地址,须经 apps.accounts.downloads 下载")


@dataclass(frozen=True)
class Downloadable:
    """A file field of a model that users may download, and who may."""

    model: type[Model]
    field: str
    label: str
    may_download: Callable[[Any, Model], bool]  # (user, record) → allowed
    filename: Callable[[Model], str]
    content_type: str
    rows: Callable[[Model], int] = lambda obj: 0  # how many people the file names


_KINDS: dict[str, Downloadable] = {}


def register(kind: str, downloadable: Downloadable) -> None:
    """Each app registers its downloadable files in its AppConfig.ready."""
    _KINDS[kind] = downloadable


def kinds() -> dict[str, Downloadable]:
    return dict(_KINDS)


@login_required
def download(request, kind: str, pk: int):
    spec = _KINDS.get(kind)
    obj = spec.model.objects.filter(pk=pk).first() if spec else None
    # Not there and not yours read the same: no oracle for other people's files.
    if obj is None or not spec.may_download(request.user, obj):
        raise Http404("没有这个文件,或您无权下载")
    stored = getattr(obj, spec.field)
    if not stored:
        raise Http404("没有这个文件,或您无权下载")
    rows = spec.rows(obj)
    record_taking(
        viewer=request.user,
        purpose=AccessEntry.Purpose.DOWNLOAD,
        resource=f"{spec.label}#{obj.pk}",
        rows=rows,
        ip=client_ip(request),
    )
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=spec.filename(obj),
        content_type=spec.content_type,
    )


def send_export(
    request,
    *,
    content: bytes,
    filename: str,
    content_type: str,
    resource: str,
    filters: dict[str, Any] | None = None,
    rows: int,
    person_ids: Iterable[int] = (),
    purpose: str = AccessEntry.Purpose.EXPORT,
) -> HttpResponse:
    """A generated file (written by jiuye.exports), logged before it is sent."""
    record_taking(
        viewer=request.user,
        purpose=purpose,
        resource=resource,
        filters=filters,
        rows=rows,
        person_ids=person_ids,
        ip=client_ip(request),
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
