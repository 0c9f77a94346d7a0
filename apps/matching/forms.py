"""Forms of the matching app."""

from django import forms


class PushForm(forms.Form):
    region_prefix = forms.CharField(label="区域(区划代码前缀)", max_length=12)
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
        if user.scope_region_id:
            self.fields["region_prefix"].initial = user.scope_region.scope_prefix
