"""The occupation input every form shares: a typeahead over the classification whose
choice reads "6-18-02-04 焊工" (what the person picked, in words), and whose value is the
code."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from .models import Occupation


def occupation_label(code: str | None) -> str:
    """The text an occupation input shows for a stored code: "6-18-02-04 焊工"."""
    if not code:
        return ""
    name = Occupation.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{code} {name}" if name else code


def fills_options_of(name: str, delay_ms: int = 250) -> dict:
    """htmx attributes of an input whose text fills the occupation choices of the input
    ``name`` (its datalist ``#options-<name>``): the occupation input itself, or a job's
    title."""
    return {
        "hx-get": reverse_lazy("taxonomy:occupation_options"),
        "hx-trigger": f"input changed delay:{delay_ms}ms",
        "hx-target": f"#options-{name}",
    }


class OccupationField(forms.CharField):
    """Accepts a chosen option ("6-18-02-04 焊工") or a bare code; cleans to the code."""

    default_error_messages = {"unknown": "请从列表中选择职业(输入“焊”“电工”等关键字后选择)"}

    def __init__(self, *, name: str, **kwargs):
        kwargs.setdefault("max_length", 160)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"list": f"options-{name}", "autocomplete": "off", **fills_options_of(name)}
        )

    def prepare_value(self, value):
        # a stored code shows with its name; what was typed shows as typed
        if value and " " not in str(value):
            return occupation_label(value)  # an unknown code stays as it is
        return value

    def clean(self, value) -> str:
        text = super().clean(value).strip()
        if not text:
            return ""
        code = text.split()[0]
        found = Occupation.objects.filter(code=code).values_list("replaced_by_id", flat=True)
        if not found:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return found[0] or code  # a moved code: its current one
