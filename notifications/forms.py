from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Deliver my notifications"),
        choices=Delivery.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
