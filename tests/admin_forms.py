"""POST data for an admin change form, as a browser would submit it unchanged."""

from django import forms


def _field_data(bound):
    name, widget, value = bound.html_name, bound.field.widget, bound.value()
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        return {f"{name}_{index}": "" if part is None else str(part) for index, part in enumerate(parts)}
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(item) for item in value]}
    return {name: "" if value is None else str(value)}


def _form_data(form):
    data = {}
    for bound in form:
        data.update(_field_data(bound))
    return data


def admin_form_data(response):
    """The change form and its inline formsets as they were rendered, ready to post back."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data
