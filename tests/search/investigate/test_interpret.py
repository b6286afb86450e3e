"""What a query means here (search.investigate.interpret): system and region names, years, and synonyms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from search.index.query import And, Not, Or, QuerySyntaxError, Term, terms
from search.investigate.interpret import MAX_EXPANDED_TERMS, read
from search.models import SourceSystem, SynonymGroup
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems():
    made = [
        SourceSystem.objects.create(code="medical-insurance", name="医保结算", short_name="医保",
                                    name_en="Medical Insurance Settlement"),
        SourceSystem.objects.create(code="social-insurance", name="社会保险参保缴费", short_name="社保"),
        SourceSystem.objects.create(code="farm-subsidies", name="惠民惠农补贴“一卡通”发放",
                                    short_name="一卡通"),
        SourceSystem.objects.create(code="transport-subsidies", name="城市客运补贴"),
        SourceSystem.objects.create(code="city-management", name="数字城管", short_name="城管"),
    ]
    return made


@pytest.fixture
def regions():
    city = RegionFactory(code="jz", name="江州市", name_en="Jiangzhou City")
    donghu = RegionFactory(code="jz-donghu", name="东湖区", name_en="Donghu District", parent=city)
    RegionFactory(code="jz-donghu-a", name="东湖街道", parent=donghu)
    RegionFactory(code="jz-xishan", name="西山区", parent=city)
    return city


def meaning(query, systems):
    return read(query, systems=systems).tree


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("系统:medical-insurance", ["medical-insurance"]),  # the code, as before
        ("系统:MEDICAL-INSURANCE", ["medical-insurance"]),
        ("系统:医保结算", ["medical-insurance"]),  # the name
        ("系统:医保", ["medical-insurance"]),  # the short name
        ('系统:"medical insurance settlement"', ["medical-insurance"]),  # the English name, any case
        ("系统:一卡通", ["farm-subsidies"]),
        ("系统:补贴", ["farm-subsidies", "transport-subsidies"]),  # a part of two names: both
        ("系统:社会保险", ["social-insurance"]),
        ("系统:城市管理", ["city-management"]),  # through the seeded synonyms 城管、城市管理
    ],
)
def test_a_system_is_found_by_its_name_short_name_or_code(systems, query, codes):
    tree = meaning(query, systems)
    found = [tree] if isinstance(tree, Term) else list(tree.items)
    assert [term.text for term in found] == codes
    assert all(term.field == "system" for term in found)


def test_a_system_the_reader_may_not_read_is_as_unknown_as_none(systems):
    readable = [system for system in systems if system.code != "medical-insurance"]
    for query in ("系统:医保", "系统:medical-insurance", "系统:不存在"):
        with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
            read(f"路灯 {query}", systems=readable)
        assert error.value.position == 3  # the field, where it was typed
        assert error.value.message.startswith(f"您可查询的关联系统中没有名为“{query[3:]}”的系统")


def test_a_region_by_name_covers_the_regions_inside_it(regions):
    assert meaning("地区:东湖区", []) == Or((
        Term("jz-donghu", field="region"), Term("jz-donghu-a", field="region"),
    ))
    assert meaning("地区:东湖", []) == meaning("地区:东湖区", [])  # a part of its name
    assert meaning('地区:"Donghu District"', []) == meaning("地区:东湖区", [])
    assert meaning("地区:jz-xishan", []) == Term("jz-xishan", field="region")
    assert {term.text for term in terms(meaning("地区:江州市", []))} == {
        "jz", "jz-donghu", "jz-donghu-a", "jz-xishan",
    }
    with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
        read("地区:火星", systems=[])
    assert "没有名为“火星”的地区" in error.value.message


@pytest.mark.parametrize(("query", "year"), [("年份:2024", "2024"), ("年份:2024年", "2024"),
                                             ("年份:２０２４", "2024")])
def test_a_year_is_four_digits(query, year):
    assert read(query, systems=[]).tree == Term(year, field="year")


@pytest.mark.parametrize(
    "query", ["年份:abc", "年份:24", "年份:99999999999999999999", "年份:0001", "年份:2024-01"],
)
def test_anything_else_as_a_year_is_explained(query):
    with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
        read(query, systems=[])
    assert "不是年份" in error.value.message


def test_an_unquoted_word_finds_its_synonyms_and_the_page_is_told():
    reading = read("低保 -撤诉", systems=[])
    assert reading.tree == And((Or((Term("低保"), Term("最低生活保障"))), Not(Term("撤诉"))))
    assert [(note.kind, note.typed, note.meaning) for note in reading.notes] == [
        ("synonyms", "低保", "低保、最低生活保障"),
    ]
    # Either way round, and in a field that holds text.
    assert read("标题:最低生活保障", systems=[]).tree == Or((
        Term("最低生活保障", field="title"), Term("低保", field="title"),
    ))


def test_a_quoted_word_a_name_or_a_code_is_searched_as_written():
    for query in ('"低保"', "名称:低保", '名称:"低保"', "代码:低保"):
        reading = read(query, systems=[])
        assert isinstance(reading.tree, Term) and not reading.notes


def test_administrators_edit_the_synonyms():
    group = SynonymGroup(words="公租房，公共租赁住房; 公租房")
    group.full_clean()
    group.save()
    assert group.words == "公租房、公共租赁住房"  # separators made one, the repeated word dropped
    assert read("公共租赁住房", systems=[]).tree == Or((Term("公共租赁住房"), Term("公租房")))
    group.delete()
    assert read("公共租赁住房", systems=[]).tree == Term("公共租赁住房")


@pytest.mark.parametrize(
    "words",
    ["低保", "", "、、", "a、b、c、d、e、f、g、h、i", '低保、"最低"', "低保、(最低)", "低保、名称:最低",
     f"低保、{'长' * 31}"],
)
def test_a_synonym_group_that_could_not_be_searched_is_refused(words):
    with pytest.raises(ValidationError):
        SynonymGroup(words=words).full_clean()


def test_the_seeded_synonyms_are_there():
    seeded = {frozenset(group.word_list) for group in SynonymGroup.objects.all()}
    for pair in (("低保", "最低生活保障"), ("医保", "医疗保障"), ("公积金", "住房公积金"),
                 ("社保", "社会保险"), ("城管", "城市管理"), ("发改", "发展和改革")):
        assert any(set(pair) <= group for group in seeded), pair


def test_expansion_is_bounded():
    SynonymGroup.objects.create(words="、".join(f"词{index}" for index in range(8)))
    query = " OR ".join(["词0"] * (MAX_EXPANDED_TERMS // 8 + 1))
    with translation.override("zh-hans"), pytest.raises(QuerySyntaxError) as error:
        read(query, systems=[])
    assert f"超过上限 {MAX_EXPANDED_TERMS} 个" in error.value.message
    assert read(" OR ".join(["词0"] * (MAX_EXPANDED_TERMS // 8)), systems=[])


def test_an_administrator_adds_a_synonym_group_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:search_synonymgroup_changelist")).status_code == 200
    response = client.post(reverse("admin:search_synonymgroup_add"), {"words": "公租房，公共租赁住房"})
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(words="公租房、公共租赁住房").exists()
    refused = client.post(reverse("admin:search_synonymgroup_add"), {"words": "只有一个词"})
    assert refused.status_code == 200 and "请至少填写两个意思相同的词" in refused.content.decode()
