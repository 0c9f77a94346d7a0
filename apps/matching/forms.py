"""Forms of the matching app."""

from django import forms

from apps.accounts.scoping import region_prefix_q


class PushForm(forms.Form):
    region_prefix = forms.ChoiceField(label="区域")
    group = forms.ChoiceField(label="重点群体", required=False)
    labour_status = forms.ChoiceField(label="劳动状态", required=False)
    offers_per_person = forms.IntegerField(
        label="每人推送岗位数", min_value=1, max_value=10, initial=3
    )
    radius_km = forms.FloatField(
        label="距离上限(公里,可不填)", required=False, min_value=0.1, max_value=200
    )

    def __init__(self, *args, user, **kwargs):
        from apps.people.models import KeyGroup, LabourStatus

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "全部"), *KeyGroup.choices]
        self.fields["labour_status"].choices = [("", "全部"), *LabourStatus.choices]
        self.fields["region_prefix"].choices = push_areas(user)
        if user.scope_region_id:
            self.fields["region_prefix"].initial = user.scope_region.scope_prefix


def push_areas(user) -> list[tuple[str, str]]:
    """The areas a push may cover, by name: the user's own region and the divisions
    inside it, two levels down at most (a county: its streets and their communities)."""
    from apps.regions.models import Region, RegionLevel

    region = user.scope_region
    if region is None:  # administrators: the provinces' counties would be too many
        return [
            (r.scope_prefix, r.name)
            for r in Region.objects.filter(level__lte=RegionLevel.PREFECTURE).order_by("code")
        ]
    inside = (
        Region.objects.filter(
            region_prefix_q("code", region.scope_prefix),
            level__gt=region.level,
            level__lte=region.level + 2,
        )
        .select_related("parent")
        .order_by("code")
    )
    return [(region.scope_prefix, f"{region.name}(全部)")] + [
        (r.scope_prefix, f"{r.parent.name} · {r.name}" if r.level > region.level + 1 else r.name)
        for r in inside
    ]
