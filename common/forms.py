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
