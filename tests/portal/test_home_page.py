"""The home page: the acting agency at a glance, and the latest circulars."""

from __future__ import annotations

from datetime import date

from agencies.acting import SESSION_KEY as ACTING_KEY
from portal.models import CircularPage


def test_it_shows_the_acting_agency(client, pages, alice, our_agency, password):
    client.force_login(alice)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="agency-summary"' in text
    assert "Housing Bureau" in text  # the agency's English name in English
    assert "Department" in text  # its kind
    assert "Staff" in text  # alice's role
    assert our_agency.get_absolute_url() in text
    assert 'id="no-membership"' not in text


def test_it_shows_the_chinese_agency_name_in_chinese(client, pages, alice):
    client.force_login(alice)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "住房和城乡建设局" in response.content.decode()


def test_it_shows_class_and_stationed_links(client, pages, dora, stationed_group, our_agency):
    client.force_login(dora)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "Group stationed at the Housing Bureau" in text
    assert "Party discipline supervision" in text  # the supervision class
    assert "Leader" in text
    assert f'href="{our_agency.get_absolute_url()}"' in text  # stationed at


def test_it_shows_the_agency_chosen_in_the_header(client, pages, alice, other_agency):
    from agencies import actions

    actions.add_member(alice, other_agency)
    client.force_login(alice)
    session = client.session
    session[ACTING_KEY] = other_agency.pk
    session.save()
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = text[text.index('id="agency-summary"'):text.index('id="latest-circulars"')]
    assert "Finance Bureau" in summary
    assert "Housing Bureau" not in summary


def test_it_has_an_empty_state_without_membership(client, pages, charlie):
    client.force_login(charlie)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-membership"' in text
    assert "You are not a member of any agency yet." in text


def test_it_lists_the_latest_circulars_newest_first(client, pages, alice):
    client.force_login(alice)
    text = client.get("/").content.decode()
    newest = text.index("关于2026年第三季度督办件办理情况的通报")
    older = text.index("关于医保基金专项整治中典型问题的通报")
    assert newest < older
    assert pages.circular.url in text


def test_it_lists_five_circulars_at_most(client, pages, alice):
    for day in range(1, 4):
        pages.circular_index.add_child(
            instance=CircularPage(title=f"新通报{day}", slug=f"new-{day}", date=date(2026, 11, day),
                                  body="<p>正文</p>")
        )
    client.force_login(alice)
    text = client.get("/").content.decode()
    listed = text[text.index('id="latest-circulars"'):]
    assert listed.count('class="list-group-item') == 5
    assert "关于监督一张网平台正式上线运行的通报" not in listed  # the oldest fell off


def test_it_leaves_out_unpublished_circulars(client, pages, alice):
    pages.circular.unpublish()
    client.force_login(alice)
    assert pages.circular.title not in client.get("/").content.decode()


def test_it_links_the_sections_in_the_header(client, pages, alice):
    client.force_login(alice)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{pages.circular_index.url}">Circulars</a>' in text
    assert f'href="{pages.policy_index.url}">Policies</a>' in text


def test_it_counts_the_acting_agencys_board_tabs(client, pages, alice, our_agency, city):
    from tests.factories import commission, member, pushed_issue

    jw = commission(city, code="home-jw")
    pushed_issue(member(jw, username="pusher"), jw, our_agency, title="小区雨污管网混接")
    pushed_issue(member(jw, username="pusher2"), jw, our_agency, title="农贸市场消防通道堵塞")
    client.force_login(alice)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="board-summary"' in text
    link = 'href="/issues/?tab=to-sign" data-tab="to-sign"'
    assert link in text
    tile = text[text.index(link):]
    assert ">2</div>" in tile[: tile.index("</a>")]  # two issues wait to be signed for


def test_someone_without_an_agency_has_no_board_summary(client, pages, charlie):
    client.force_login(charlie)
    assert 'id="board-summary"' not in client.get("/").content.decode()
