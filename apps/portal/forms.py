from django import forms

from apps.imports.registry import import_specs
from apps.imports.services import can_import


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入类型")
    file = forms.FileField(label="文件", help_text="CSV(UTF-8或GBK)或Excel(.xlsx)")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, spec.label) for kind, spec in import_specs().items() if can_import(user, spec)
        ]


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


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label="服务类型")
    outcome = forms.CharField(
        label="结果",
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "结果,如 已做职业指导"}),
    )

    def __init__(self, *args, **kwargs):
        from apps.services.models import ServiceKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, label) for k, label in ServiceKind.choices if k != ServiceKind.OFFER
        ]


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label="登记类型")
    basis = forms.ChoiceField(label="登记依据(失业登记)", required=False)
    employer = forms.CharField(
        label="就业单位统一社会信用代码",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "就业单位统一社会信用代码"}),
    )
    day = forms.DateField(
        label="登记日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from apps.people.models import Registration

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Registration.Kind.choices
        self.fields["basis"].choices = [("", "—"), *Registration.Basis.choices]

    def clean_employer(self):
        from apps.employers.models import Employer

        code = self.cleaned_data["employer"].strip().upper()
        if not code:
            return None
        employer = Employer.objects.filter(credit_code=code).first()
        if employer is None:
            raise forms.ValidationError(f"没有统一社会信用代码为{code}的单位")
        return employer


class OnlineUnemploymentForm(forms.Form):
    basis = forms.ChoiceField(label="登记依据")

    def __init__(self, *args, **kwargs):
        from apps.people.models import Registration

        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = Registration.Basis.choices
