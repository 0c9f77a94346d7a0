"""A worker keeps their own profile (求职信息): education, experience, certificates and
the work they want. Each change reaches the matching at once (the index re-reads people
whose ``updated_at`` moved) and shows on the file staff open."""

from __future__ import annotations

from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.services import diff_fields, record_audit
from apps.taxonomy.models import Occupation

from .models import Certificate, Person

FIELDS = ("education", "major", "skills", "wish_min_wage", "wish_max_distance_km")


class ProfileError(ValueError):
    pass


@transaction.atomic
def update_profile(*, user: User, person: Person, data: dict) -> Person:
    if user.role != Role.WORKER or user.person_id != person.pk:
        raise ProfileError("只能修改本人的求职信息")
    values = {f: data.get(f) if data.get(f) is not None else "" for f in FIELDS}
    values["wish_job_kinds"] = list(data.get("wish_job_kinds") or [])
    values["wish_min_wage"] = data.get("wish_min_wage")
    values["wish_max_distance_km"] = data.get("wish_max_distance_km")
    point = data.get("work_point")  # (lat, lng, label) or None: home
    values["work_lat"], values["work_lng"], values["work_place"] = point or (None, None, "")
    second = data.get("work_point_2") if point else None  # only beside a first place
    values["work_lat_2"], values["work_lng_2"], values["work_place_2"] = second or (None, None, "")
    changes = diff_fields(person, values)
    for field, value in values.items():
        setattr(person, field, value)
    wishes = list(dict.fromkeys(c for c in (data.get(f"wish_{k}") for k in (1, 2, 3)) if c))
    through = Person.wish_occupations.through
    current = list(
        through.objects.filter(person=person).order_by("id").values_list("occupation_id", flat=True)
    )
    if wishes != current:
        through.objects.filter(person=person).delete()
        through.objects.bulk_create([through(person=person, occupation_id=c) for c in wishes])
        changes["wish_occupations"] = [current, wishes]
    if data.get("certificate"):
        occupation = Occupation.objects.get(code=data["certificate"])
        level = data.get("certificate_level")
        _, made = Certificate.objects.get_or_create(
            person=person,
            name=occupation.name,
            level=level,
            defaults={"occupation": occupation},
        )
        if made:
            changes["certificates"] = [None, f"{occupation.name}/{level or ''}"]
    person.save()  # updated_at moves: the matching index re-reads the person
    if changes:
        record_audit(actor=user, action="profile_updated", obj=person, changes=changes)
    return person
