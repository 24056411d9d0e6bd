"""Filters of the audit administrator's page: the labels of an entry's codes (``audit.display``)."""

from django import template

from audit import display

register = template.Library()

register.filter("audit_action", display.action_label)
register.filter("audit_roles", display.role_labels)
register.filter("audit_bureaus", display.bureau_names)
register.filter("audit_object_type", display.object_type_label)
