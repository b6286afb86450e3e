"""Each template on small linked records loaded through ingestion: what it finds, and the near
misses beside it that it must not find. ``runs.find`` executes a version and writes nothing."""

from __future__ import annotations

from search.detection import actions, runs
from search.detection.models import WarningModel
from search.models import KeyKind, Record

from .linked import company, person, switched_on

ID, CODE, PHONE, ADDRESS, UNIT, PROJECT = (
    KeyKind.ID_NUMBER, KeyKind.CREDIT_CODE, KeyKind.PHONE, KeyKind.ADDRESS, KeyKind.ORGANISATION,
    KeyKind.PROJECT,
)


def found(model: WarningModel) -> dict[tuple, set[str]]:
    """The warnings the model's version finds now: subjects → the external ids of their evidence."""
    hits = runs.find(model.active_version).hits
    ids = dict(Record.objects.values_list("pk", "external_id"))
    return {tuple(tuple(pair) for pair in hit.subjects): {ids[pk] for pk in hit.records} for hit in hits}


def external_ids(code: str, **raw) -> set[str]:
    return {record.external_id for record in Record.objects.filter(system__code=code)
            if all(record.raw.get(column) == value for column, value in raw.items())}


# --- sequence -------------------------------------------------------------------------------------------
def test_sequence_finds_payments_after_the_death_and_not_the_day_before(watcher, load):
    dead, alive, died_later = person(1), person(2), person(3)
    load("death-registrations", [load.death(dead, "2024-03-10"), load.death(died_later, "2024-09-01")])
    load("social-assistance", [
        load.assistance(dead, "2024-02-10"), load.assistance(dead, "2024-03-09"),  # before: near misses
        load.assistance(dead, "2024-04-10"), load.assistance(dead, "2024-05-10"),  # after: found
        load.assistance(alive, "2024-04-10"),  # nobody died
        load.assistance(died_later, "2024-08-31"),  # the day before the death
    ])
    model = switched_on(watcher, "sequence", {
        "kind": ID, "system_a": "social-assistance", "roles_a": ["payee"],
        "system_b": "death-registrations", "roles_b": ["deceased"], "min_days": 1,
    })
    warnings = found(model)
    assert list(warnings) == [((ID, dead),)]
    after = {eid for eid in external_ids("social-assistance", 身份证号=dead)
             if Record.objects.get(external_id=eid).raw["发放日期"] > "2024-03-10"}
    assert warnings[((ID, dead),)] == after | external_ids("death-registrations", 身份证号=dead)
    assert len(after) == 2


def test_sequence_within_a_span_of_days(watcher, load):
    quick, slow = person(4), person(5)
    load("death-registrations", [load.death(quick, "2024-01-01"), load.death(slow, "2024-01-01")])
    load("social-assistance", [load.assistance(quick, "2024-01-20"), load.assistance(slow, "2024-03-20")])
    model = switched_on(watcher, "sequence", {
        "kind": ID, "system_a": "social-assistance", "roles_a": ["payee"],
        "system_b": "death-registrations", "roles_b": ["deceased"], "min_days": 1, "max_days": 30,
    })
    assert list(found(model)) == [((ID, quick),)]


# --- list match -------------------------------------------------------------------------------------------
def test_list_match_finds_officials_among_housing_applicants(watcher, load):
    official, other_official, applicant = person(10), person(11), person(12)
    load("public-officials", [
        load.official(official, "江州市住房和城乡建设局", "2015-01-01"),
        load.official(other_official, "江州市财政局", "2016-01-01", spouse=applicant),
    ])
    load("affordable-housing", [load.housing(official, "2024-05-01"),
                                load.housing(applicant, "2024-05-01")])
    model = switched_on(watcher, "list_match", {
        "kind": ID, "system_a": "public-officials", "roles_a": ["official"],
        "system_b": "affordable-housing", "roles_b": ["applicant"],
    })
    # The spouse applying is another key's role (spouse, not official): not this model's warning.
    assert found(model) == {
        ((ID, official),): external_ids("public-officials", 身份证号=official)
        | external_ids("affordable-housing", 申请人身份证号=official),
    }


def test_list_match_within_days(watcher, load):
    near, far = company(20), company(21)
    load("administrative-penalties", [
        {"当事人名称": "甲公司", "统一社会信用代码": near, "处罚决定日期": "2024-01-01",
         "处罚机关": "市监局"},
        {"当事人名称": "乙公司", "统一社会信用代码": far, "处罚决定日期": "2020-01-01",
         "处罚机关": "市监局"},
    ])
    load("public-resource-trading", [load.bid("P-1", near, "2024-03-01", won=True),
                                     load.bid("P-2", far, "2024-03-01", won=True)])
    model = switched_on(watcher, "list_match", {
        "kind": CODE, "system_a": "public-resource-trading", "roles_a": ["winning_bidder"],
        "system_b": "administrative-penalties", "roles_b": ["party"], "within_days": 365,
    })
    assert list(found(model)) == [((CODE, near),)]


# --- grouped threshold ------------------------------------------------------------------------------------
SPLIT = {
    "system": "government-procurement", "kind": UNIT, "roles": ["purchaser"], "by_kind": CODE,
    "by_roles": ["supplier"], "measure": "count", "at_least": 3, "window_days": 30,
    "amount_min": "900000", "amount_max": "1000000",
}


def test_threshold_finds_contracts_split_below_a_limit(watcher, load):
    split, spread, big = company(30), company(31), company(32)
    load("government-procurement", [
        load.procurement("江州市某局", split, "950000", "2024-03-01"),
        load.procurement("江州市某局", split, "980000", "2024-03-15"),
        load.procurement("江州市某局", split, "990000.00", "2024-03-31"),
        # Three in the band, but over 45 days: no window of 30 days holds three.
        load.procurement("江州市某局", spread, "950000", "2024-05-01"),
        load.procurement("江州市某局", spread, "950000", "2024-05-25"),
        load.procurement("江州市某局", spread, "950000", "2024-06-15"),
        # Three within days, one of them above the limit.
        load.procurement("江州市某局", big, "950000", "2024-07-01"),
        load.procurement("江州市某局", big, "1200000", "2024-07-02"),
        load.procurement("江州市某局", big, "950000", "2024-07-03"),
    ])
    model = switched_on(watcher, "grouped_threshold", SPLIT)
    assert found(model) == {
        ((CODE, split), (UNIT, "江州市某局")):
            external_ids("government-procurement", 供应商统一社会信用代码=split),
    }


def test_threshold_counts_distinct_bidders_of_one_legal_representative(watcher, load):
    rep, honest = person(40), person(41)
    first, second, third, fourth = company(40), company(41), company(42), company(43)
    load("public-resource-trading", [
        load.bid("T-1", first, "2024-04-01", rep=rep, won=True),
        load.bid("T-1", second, "2024-04-01", rep=rep),
        load.bid("T-1", third, "2024-04-01", rep=honest),
        # The same representative behind one bidder of each of two tenders: no collusion.
        load.bid("T-2", first, "2024-05-01", rep=rep),
        load.bid("T-3", second, "2024-06-01", rep=rep),
        load.bid("T-3", fourth, "2024-06-01", rep=honest),
    ])
    model = switched_on(watcher, "grouped_threshold", {
        "system": "public-resource-trading", "kind": PROJECT, "roles": ["tender"], "by_kind": ID,
        "by_roles": ["legal_representative"], "measure": "distinct", "counted_kind": CODE,
        "counted_roles": ["bidder"], "at_least": 2,
    })
    t1 = external_ids("public-resource-trading", 项目编号="T-1", 法定代表人身份证号=rep)
    assert found(model) == {((ID, rep), (PROJECT, "T-1")): t1}
    assert len(t1) == 2


def test_threshold_finds_a_complaint_reopened_and_not_one_repeated_once(watcher, load):
    load("hotline-12345", [
        load.complaint("138 0000 0001", "东湖区人民路1号", "2024-01-05"),
        load.complaint("13800000001", "东湖区人民路1号", "2024-02-01"),
        load.complaint("+86 138-0000-0001", "东湖区人民路1号", "2024-03-01"),
        load.complaint("13800000002", "西山区解放路2号", "2024-01-05"),
        load.complaint("13800000002", "西山区解放路2号", "2024-02-05"),
    ])
    model = switched_on(watcher, "grouped_threshold", {
        "system": "hotline-12345", "kind": PHONE, "roles": ["caller"], "by_kind": ADDRESS,
        "by_roles": ["location"], "measure": "count", "at_least": 3, "window_days": 90,
    })
    assert list(found(model)) == [((ADDRESS, "东湖区人民路1号"), (PHONE, "13800000001"))]


def test_threshold_sums_amounts(watcher, load):
    much, little = company(50), company(51)
    load("treasury-payments", [
        load.payment("江州市某局", much, "600000", "2024-01-01"),
        load.payment("江州市某局", much, "500000", "2024-12-01"),
        load.payment("江州市某局", little, "600000", "2024-01-01"),
    ])
    model = switched_on(watcher, "grouped_threshold", {
        "system": "treasury-payments", "kind": CODE, "roles": ["payee"], "measure": "sum",
        "at_least": "1000000",
    })
    assert list(found(model)) == [((CODE, much),)]


# --- first appearance ---------------------------------------------------------------------------------------
def test_first_appearance_finds_a_company_winning_in_its_first_month(watcher, load):
    new, old, late = company(60), company(61), company(62)
    load("market-entities", [load.registration(new, person(60), "2024-03-01"),
                             load.registration(old, person(61), "2010-03-01"),
                             load.registration(late, person(62), "2024-01-01")])
    load("public-resource-trading", [
        load.bid("N-1", new, "2024-03-20", won=True), load.bid("N-2", new, "2024-09-20", won=True),
        load.bid("N-3", old, "2024-03-20", won=True),
        load.bid("N-4", late, "2024-06-20", won=True),  # first win five months after founding
    ])
    model = switched_on(watcher, "first_appearance", {
        "kind": CODE, "system": "public-resource-trading", "roles": ["winning_bidder"],
        "reference_system": "market-entities", "reference_roles": ["registrant"], "within_days": 30,
    })
    assert found(model) == {
        ((CODE, new),): external_ids("public-resource-trading", 项目编号="N-1")
        | external_ids("market-entities", 统一社会信用代码=new),
    }


# --- outlier ------------------------------------------------------------------------------------------------
def test_outlier_against_the_median_of_the_same_payer(watcher, load):
    payees = [company(70 + n) for n in range(6)]
    rows = [load.payment("江州市某局", payee, "10000", "2024-01-01") for payee in payees[:5]]
    rows.append(load.payment("江州市某局", payees[5], "80000", "2024-01-02"))
    # Another payer pays everyone a lot: its own median, and too few payments to have one.
    rows += [load.payment("江州市另一局", payees[0], "80000", "2024-01-01")]
    load("treasury-payments", rows)
    params = {"system": "treasury-payments", "kind": CODE, "roles": ["payee"], "peers": "key",
              "peer_kind": UNIT, "peer_roles": ["payer"], "centre": "median", "factor": "5", "min_peers": 5}
    model = switched_on(watcher, "outlier", params)
    assert list(found(model)) == [((CODE, payees[5]),)]
    # The mean of the six (about 21,667) is not five times below 80,000: nothing stands out.
    mean = switched_on(watcher, "outlier", {**params, "centre": "mean"}, key="by-mean")
    assert found(mean) == {}


def test_outlier_of_a_group_whose_median_is_zero_is_none(watcher, load):
    payees = [company(80 + n) for n in range(6)]
    load("treasury-payments", [load.payment("江州市某局", payee, "0", "2024-01-01") for payee in payees[:5]]
         + [load.payment("江州市某局", payees[5], "1", "2024-01-02")])
    model = switched_on(watcher, "outlier", {
        "system": "treasury-payments", "kind": CODE, "roles": ["payee"], "peers": "system",
        "centre": "median", "factor": "5", "min_peers": 5,
    })
    assert found(model) == {}


# --- relation path ------------------------------------------------------------------------------------------
PATH = {
    "start_system": "public-officials", "start_kind": ID, "start_roles": ["official"],
    "hops": [
        {"via": "record", "kind": ID, "roles": ["spouse", "child"]},
        {"via": "value", "system": "market-entities", "roles": ["legal_representative"]},
        {"via": "record", "kind": CODE, "roles": ["registrant"]},
        {"via": "value", "system": "public-resource-trading", "roles": ["winning_bidder"]},
    ],
    "close_kind": UNIT, "close_start_roles": ["employer"], "close_end_roles": ["tenderer"],
}


def test_relation_path_finds_a_relatives_company_winning_in_the_officials_unit(watcher, load):
    official, spouse, firm = person(80), person(81), company(80)
    loser_official, loser_child, loser_firm = person(82), person(83, "19950101"), company(82)
    elsewhere_official, elsewhere_spouse, elsewhere_firm = person(84), person(85), company(84)
    load("public-officials", [
        load.official(official, "江州市水务局", "2015-01-01", spouse=spouse),
        load.official(loser_official, "江州市水务局", "2015-01-01", child=loser_child),
        load.official(elsewhere_official, "江州市交通局", "2015-01-01", spouse=elsewhere_spouse),
    ])
    load("market-entities", [load.registration(firm, spouse, "2020-01-01"),
                             load.registration(loser_firm, loser_child, "2020-01-01"),
                             load.registration(elsewhere_firm, elsewhere_spouse, "2020-01-01")])
    load("public-resource-trading", [
        load.bid("W-1", firm, "2024-01-01", won=True, tenderer="江州市水务局"),
        load.bid("W-2", loser_firm, "2024-01-01", won=False, tenderer="江州市水务局"),  # did not win
        load.bid("W-3", elsewhere_firm, "2024-01-01", won=True, tenderer="江州市水务局"),  # not her unit
    ])
    model = switched_on(watcher, "relation_path", PATH)
    assert found(model) == {
        ((CODE, firm), (ID, official)): external_ids("public-officials", 身份证号=official)
        | external_ids("market-entities", 统一社会信用代码=firm)
        | external_ids("public-resource-trading", 项目编号="W-1"),
    }
    unclosed = switched_on(watcher, "relation_path", {**PATH, "close_kind": ""}, key="anywhere")
    assert set(found(unclosed)) == {
        ((CODE, firm), (ID, official)), ((CODE, elsewhere_firm), (ID, elsewhere_official)),
    }


# --- re-screen ----------------------------------------------------------------------------------------------
def test_rescreen_finds_the_listed_keys(watcher, load):
    listed, unlisted = company(90), company(91)
    load("treasury-payments", [load.payment("江州市某局", listed, "1000", "2024-01-01"),
                               load.payment("江州市某局", unlisted, "1000", "2024-01-01")])
    screening = actions.create_screening_list(acting_user=None, agency=watcher, code="debtors",
                                              name="失信名单")
    added, refused = actions.add_screening_entries(
        acting_user=None, screening_list=screening, kind=CODE, values=[listed.lower(), "not a code"]
    )
    assert (added, refused) == (1, ["not a code"])
    model = switched_on(watcher, "rescreen", {"screening_list": "debtors",
                                              "systems_searched": ["treasury-payments"]})
    assert found(model) == {
        ((CODE, listed),): external_ids("treasury-payments", 收款人统一社会信用代码=listed),
    }
