"""The warning models shipped as data (DESIGN §12): ``seeds/*.toml``, one file a scenario, loaded
by ``manage.py detection seed`` and by the demo's seed.

A file names its scenario and its models::

    [scenario]
    code = "welfare"
    name = "惠民补贴和社会救助"
    name_en = "Subsidies and welfare"
    description = "…"

    [[models]]
    key = "assistance-after-death"
    name = "死亡后仍领取低保"
    name_en = "Assistance paid after death"
    agency = "jz-jw"            # the owning agency, by code
    severity = "high"
    template = "sequence"       # search.detection.patterns
    [models.parameters]         # the template's parameters form, as JSON
    kind = "id_number"
    …

Each model is made through the actions, as a person would make it: version 1 (checked by its
template's form and against what the owning agency may read), a backtest, switched on. A model
whose key exists is left as it is (someone may have changed it since); one whose agency does not
exist yet, or whose parameters are refused, is skipped with the reason.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from agencies.models import Agency

from . import actions
from .models import Scenario, WarningModel

SEEDS = Path(__file__).parent / "seeds"


@dataclass
class Seeded:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # key, why


def seed_files(folder: Path = SEEDS) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def seed_models(folder: Path = SEEDS) -> Seeded:
    seeded = Seeded()
    for path in seed_files(folder):
        with path.open("rb") as stream:
            data = tomllib.load(stream)
        about = data["scenario"]
        scenario, _created = Scenario.objects.get_or_create(code=about["code"], defaults={
            "name": about["name"], "name_en": about.get("name_en", ""),
            "description": about.get("description", ""),
        })
        for spec in data.get("models", []):
            _seed_model(scenario, spec, seeded)
    return seeded


def _seed_model(scenario: Scenario, spec: dict, seeded: Seeded) -> None:
    key = spec["key"]
    if WarningModel.objects.filter(key=key).exists():
        seeded.unchanged.append(key)
        return
    agency = Agency.objects.filter(code=spec["agency"]).first()
    if agency is None:
        seeded.skipped.append((key, f"no agency {spec['agency']}"))
        return
    try:
        with transaction.atomic():
            version = actions.create_model(
                acting_user=None, key=key, name=spec["name"], name_en=spec.get("name_en", ""),
                description=spec.get("description", ""), scenario=scenario, agency=agency,
                template=spec["template"], parameters=spec["parameters"],
                severity=spec.get("severity", "medium"), note=spec.get("note", ""),
            )
            actions.backtest(acting_user=None, version=version)
            actions.switch_on(acting_user=None, version=version)
    except actions.DetectionError as error:
        seeded.skipped.append((key, str(error)))
        return
    seeded.created.append(key)
