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
