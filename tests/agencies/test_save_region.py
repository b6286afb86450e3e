"""actions.save_region: regions are validated like agencies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agencies import actions
from agencies.models import Level, Region


def test_it_works(city):
    district = actions.save_region(
        Region(code="new-district", name="新区", level=Level.DISTRICT, parent=city)
    )
    assert district.pk
    assert city.descendant_ids() == {city.pk, district.pk}


def test_it_validates(city):
    with pytest.raises(ValidationError):
        actions.save_region(Region(code="bad", name="坏", level=Level.CITY, parent=city))
    assert not Region.objects.filter(code="bad").exists()
