"""Forms of the imports app."""

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
