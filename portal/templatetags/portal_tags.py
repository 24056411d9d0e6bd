"""Template helpers: accessible form widgets."""

from django import forms, template
from django.utils.safestring import SafeString

from core.privacy import mask_name, mask_phone

register = template.Library()


@register.filter
def widget(field: forms.BoundField) -> SafeString:
    """The field's widget with Bootstrap classes and its help text and errors tied to it."""
    widget_ = field.field.widget
    if isinstance(widget_, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget_, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    described.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(described)}
    if not isinstance(widget_, forms.RadioSelect):
        attrs["class"] = f"{widget_.attrs.get('class', '')} {css}".strip()
    if field.errors:
        attrs["aria-invalid"] = "true"
        if "class" in attrs:
            attrs["class"] += " is-invalid"
    return field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or an empty list."""
    return mapping.get(key, []) if mapping else []


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value or "")
