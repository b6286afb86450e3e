"""Form pieces shared by every app's forms."""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and accepts only ISO dates (YYYY-MM-DD).

    Django renders a date in the active language's first input format (``2026/12/05`` in
    Chinese), which a date input cannot show: it stays empty. The format is fixed here, whatever
    the language; the picker itself shows the date the reader's way.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


def mark_invalid_fields(form: forms.Form, *, described: bool = True) -> None:
    """Mark the fields that came back with errors, for Bootstrap's styling and for screen
    readers; with ``described``, the page shows each error under the id ``<field id>-error``."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            if described:
                attrs["aria-describedby"] = f"{form[name].auto_id}-error"


class BootstrapForm(forms.Form):
    """Gives every control Bootstrap's class, and marks the fields that came back with errors.

    ``compact`` makes the controls small (the forms folded under the issue page's buttons, the
    filter bars) but for those named in ``full_size`` (a search box); ``unstyled`` names fields
    the page does not show as controls. A control that declares a class of its own keeps it.
    ``errors_described``: the page prints each error under ``<field id>-error``, and the field
    points at it (aria-describedby).
    """

    compact = False
    full_size: tuple[str, ...] = ()
    unstyled: tuple[str, ...] = ()
    errors_described = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput) or name in self.unstyled:
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            small = self.compact and name not in self.full_size
            widget.attrs.setdefault("class", f"{css} {css}-sm" if small else css)

    def full_clean(self):
        super().full_clean()
        mark_invalid_fields(self, described=self.errors_described)


def chosen_filters(form: forms.Form, names=None) -> list[tuple[str, str]]:
    """The filters a valid field of ``form`` holds, as (label, value) in the reader's words: the
    label of a choice rather than its code, an agency's name, a date in ISO form. For the line of
    an exported file that says which rows it holds."""
    if not hasattr(form, "cleaned_data"):
        form.is_valid()
    chosen = []
    for name in names or form.fields:
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            text = getattr(value, "display_name", None) or str(value)
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(_flat_choices(field.choices)).get(value, value))
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            text = str(value)
        chosen.append((str(field.label), text))
    return chosen


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of options
            yield from _flat_choices(label)
        else:
            yield value, label
