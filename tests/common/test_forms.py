"""common.forms.BootstrapForm: every app's forms get Bootstrap's classes and their errors marked
the same way."""

from __future__ import annotations

from django import forms

from common.forms import BootstrapForm


class FilterBar(BootstrapForm):
    compact = True
    full_size = ("q",)
    unstyled = ("cursor",)
    errors_described = True

    q = forms.CharField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "—"), ("a", "A")])
    day = forms.DateField(required=False)
    cursor = forms.CharField(required=False)
    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    own = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "form-check-input"}))


def test_controls_get_bootstraps_classes_by_size():
    form = FilterBar()
    assert form.fields["q"].widget.attrs["class"] == "form-control"
    assert form.fields["kind"].widget.attrs["class"] == "form-select form-select-sm"
    assert form.fields["day"].widget.attrs["class"] == "form-control form-control-sm"
    assert "class" not in form.fields["cursor"].widget.attrs
    assert "class" not in form.fields["tab"].widget.attrs
    assert form.fields["own"].widget.attrs["class"] == "form-check-input"  # its own class kept


def test_a_field_with_an_error_is_marked_and_points_at_its_message():
    form = FilterBar({"kind": "z", "day": "not a date"})
    assert not form.is_valid()
    for name in ("kind", "day"):
        attrs = form.fields[name].widget.attrs
        assert attrs["class"].endswith(" is-invalid")
        assert attrs["aria-invalid"] == "true"
        assert attrs["aria-describedby"] == f"id_{name}-error"
    assert "is-invalid" not in form.fields["q"].widget.attrs["class"]
