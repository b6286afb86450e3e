"""Outlier (偏离同类): a record whose amount is more than ``factor`` times the median (or mean) of
its peers: the other records of the system, of its region, or of the same second key (the same
budget unit's payments, the same tenderer's contracts). Groups of fewer than ``min_peers``
records have no meaningful centre and raise nothing, nor does a group whose centre is zero (most
of its amounts are nothing: any amount would be infinitely many times it). One warning per
subject key; its evidence is each of its records that stands out.

The median is taken with window functions (ROW_NUMBER and COUNT over the group), which SQLite
and PostgreSQL both have: the middle record, or the mean of the two middle ones.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .base import (
    KEYS,
    RECORDS,
    Context,
    Pattern,
    PatternForm,
    Query,
    RolesField,
    SystemField,
    amount,
    key_filter,
    kind_field,
)

MAX_FACTOR = Decimal(1_000)
MIN_PEERS = 3


class Peers:
    SYSTEM = "system"
    REGION = "region"
    KEY = "key"
    CHOICES = (
        (SYSTEM, _("All records of the system")),
        (REGION, _("Records of the same region")),
        (KEY, _("Records with the same second key")),
    )


class Centre:
    MEDIAN = "median"
    MEAN = "mean"
    CHOICES = ((MEDIAN, _("Median")), (MEAN, _("Mean")))


class OutlierForm(PatternForm):
    system = SystemField(label=_("Linked system"))
    kind = kind_field(_("Warn about the key of kind"))
    roles = RolesField(label=_("With the roles"), help_text=_("Empty: any role."))
    peers = forms.ChoiceField(label=_("Compared with"), choices=Peers.CHOICES)
    peer_kind = kind_field(_("Second key's kind"), required=False)
    peer_roles = RolesField(label=_("Second key's roles"))
    centre = forms.ChoiceField(label=_("Centre of the peers"), choices=Centre.CHOICES)
    factor = forms.DecimalField(label=_("More than this many times the centre"), min_value=Decimal("1.01"),
                                max_value=MAX_FACTOR, max_digits=7, decimal_places=2)
    min_peers = forms.IntegerField(label=_("Fewest records in a peer group"), min_value=MIN_PEERS,
                                   max_value=1_000_000, initial=5)

    def clean(self):
        data = super().clean()
        self.check_keys("system", data.get("kind"), "roles")
        if data.get("peers") == Peers.KEY:
            if not data.get("peer_kind"):
                self.add_error("peer_kind", _("Say which key makes records peers."))
            self.check_keys("system", data.get("peer_kind"), "peer_roles", error_on="peer_kind")
        return data


class Outlier(Pattern):
    name = "outlier"
    label = _("Outlier")
    description = _("An amount far above the median or mean of its peers.")
    form_class = OutlierForm

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        k_sql, k_params = key_filter("k", ctx, params["system"], params["kind"], params["roles"])
        join, join_params, peer = "", [], "''"
        if params["peers"] == Peers.KEY:
            p_sql, join_params = key_filter("p", ctx, None, params["peer_kind"], params["peer_roles"])
            join, peer = f"JOIN {KEYS} p ON p.record_id = k.record_id AND {p_sql}", "p.value"
        elif params["peers"] == Peers.REGION:
            join, peer = f"JOIN {RECORDS} r ON r.id = k.record_id", "COALESCE(CAST(r.region_id AS TEXT), '')"
        q.cte(
            "base",
            "SELECT DISTINCT k.value AS v, k.kind AS kk, k.record_id AS rid, k.amount AS amt, "
            f"{peer} AS peer FROM {KEYS} k {join} WHERE {k_sql} AND k.amount IS NOT NULL",
            [*join_params, *k_params],
        )
        if params["centre"] == Centre.MEDIAN:
            q.cte("ranked", "SELECT peer, amt, ROW_NUMBER() OVER (PARTITION BY peer ORDER BY amt) AS rn, "
                            "COUNT(*) OVER (PARTITION BY peer) AS n FROM base")
            q.cte("centres", "SELECT peer, AVG(amt) AS centre, MAX(n) AS n FROM ranked "
                             "WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2 GROUP BY peer")
        else:
            q.cte("centres", "SELECT peer, AVG(amt) AS centre, COUNT(*) AS n FROM base GROUP BY peer")
        # The centres need every peer, whatever the scope; only the keys judged against them are
        # those the records in scope hold.
        touched, touched_params = ctx.touched("base.v", params["kind"])
        q.final(
            "SELECT base.v, base.kk, base.v, base.rid FROM base JOIN centres ON centres.peer = base.peer "
            "WHERE centres.n >= %s AND centres.centre > 0 "
            f"AND base.amt > {amount(params['factor'])} * centres.centre AND {touched}",
            [params["min_peers"], params["factor"], *touched_params],
        )
        return q


PATTERN = Outlier()
