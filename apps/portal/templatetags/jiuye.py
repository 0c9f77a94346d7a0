from django import template

from jiuye.identifiers import mask_mobile, mask_name, mask_resident_id

register = template.Library()


@register.filter
def masked_id(value: str) -> str:
    return mask_resident_id(value)


@register.filter
def masked_phone(value: str) -> str:
    return mask_mobile(value)


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pct(value) -> str:
    """A share as a percentage with one decimal ('—' when there is none)."""
    return "—" if value is None else f"{100 * value:.1f}%"


@register.simple_tag
def ld_json(value) -> str:
    """A JSON-LD block (structured data a search engine reads; no browser runs it), escaped
    as json_script escapes: no data can close the element or start markup."""
    import json

    from django.utils.html import _json_script_escapes
    from django.utils.safestring import mark_safe

    text = json.dumps(value, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
