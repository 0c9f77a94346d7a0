from django import template

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure as the dashboard shows it: thousands separated, a percentage or a mean
    with one decimal, '—' when there is none."""
    if value is None:
        return "—"
    if unit in ("%", "年"):
        return f"{value:.1f}{unit}" if unit == "%" else f"{value:.2f}{unit}"
    if unit == "元":
        return f"{value:,.2f}元"
    return f"{value:,.0f}{unit}"


@register.filter
def list_code(indicator) -> str:
    """The counted indicator whose list stands behind a figure (a rate's numerator, a
    difference's first term)."""
    return indicator.parts[0] if indicator.parts else indicator.code
