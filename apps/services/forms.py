"""Forms of the services app."""

from django import forms


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
