"""Form widgets shared by every app."""

from django import forms


def date_input(**attrs) -> forms.DateInput:
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the locale: a
    localised date (2026/12/03) is rejected by the picker, which then shows it empty."""
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")
