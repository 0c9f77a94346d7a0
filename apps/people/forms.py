"""Forms of the people app."""

from django import forms


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
