"""Edits made in the Django admin land in the audit log like every other write."""

from apps.accounts.models import AuditEntry, User
from apps.people.tests.factories import EmployerFactory


def test_an_admin_edit_is_audited_with_its_changes(client, db):
    admin = User.objects.create_superuser("root", password="x", role="admin")
    employer = EmployerFactory(name="旧名称有限公司")
    client.force_login(admin)
    page = client.get(f"/admin/employers/employer/{employer.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="新名称有限公司", blacklisted="", is_key_enterprise="")
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    response = client.post(f"/admin/employers/employer/{employer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="admin_change", object_id=str(employer.pk))
    assert entry.actor == admin and entry.model == "employers.Employer"
    assert entry.changes["name"] == ["旧名称有限公司", "新名称有限公司"]


def test_the_logs_cannot_be_edited_in_the_admin(client, db):
    admin = User.objects.create_superuser("root", password="x", role="admin")
    entry = AuditEntry.objects.create(action="x", model="m", object_id="1")
    client.force_login(admin)
    assert client.get("/admin/accounts/auditentry/").status_code == 200
    assert client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
