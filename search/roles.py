"""The roles a record key plays in its linked record (``RecordKey.role``), in words.

A role is a slug the system's field mapping declares (search.ingest.mapping): the registry's
systems use the ones named here; a role an administrator adds to a mapping is shown as written
until it is named here too. Below every room, as the models are: each room's pages show roles.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ROLE_LABELS = {
    "allocated_housing": _("allocated housing"),
    "applicant": _("applicant"),
    "asset": _("asset"),
    "audited": _("audited unit"),
    "bidder": _("bidder"),
    "buyer": _("buyer"),
    "caller": _("caller"),
    "child": _("child"),
    "contractor": _("contractor"),
    "deceased": _("deceased"),
    "declarant": _("declarant"),
    "driver": _("driver"),
    "emitter": _("emitter"),
    "employer": _("employer"),
    "guardian": _("guardian"),
    "inspected": _("inspected"),
    "inspector": _("inspector"),
    "insured": _("insured"),
    "legal_representative": _("legal representative"),
    "lessor": _("lessor"),
    "licensee": _("licensee"),
    "location": _("location"),
    "official": _("official"),
    "owner": _("owner"),
    "parcel": _("land parcel"),
    "party": _("party"),
    "payee": _("payee"),
    "payer": _("payer"),
    "procurement": _("procurement"),
    "project_owner": _("project owner"),
    "property": _("property"),
    "purchaser": _("purchaser"),
    "registrant": _("registrant"),
    "seller": _("seller"),
    "site": _("site"),
    "spouse": _("spouse"),
    "student": _("student"),
    "supplier": _("supplier"),
    "tenant": _("tenant"),
    "tender": _("tender"),
    "tenderer": _("tenderer"),
    "transferee": _("transferee"),
    "vehicle": _("vehicle"),
    "winning_bidder": _("winning bidder"),
    "works": _("construction project"),
}


def role_label(role: str) -> str:
    """The role in the reader's language; a role not named here as its slug."""
    return str(ROLE_LABELS.get(role, role))
