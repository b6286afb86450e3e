"""Demo editorial content: the portal's home page, circulars (通报) and policies (制度).

``seed_pages()`` is called by ``manage.py seed_demo`` and is safe to run again: it creates what
is missing, leaves what editors changed alone, and never duplicates a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from portal.models import CircularIndexPage, CircularPage, HomePage, PolicyIndexPage, PolicyPage

SITE_HOSTNAME = "127.0.0.1"
SITE_PORT = 8000


@dataclass(frozen=True)
class Circular:
    slug: str
    title: str
    date: date
    document_number: str
    issuer: str
    summary: str
    body: str


@dataclass(frozen=True)
class Policy:
    slug: str
    title: str
    effective_date: date
    issuer: str
    summary: str
    body: str


CIRCULARS = [
    Circular(
        slug="2026-q3-supervision-items",
        title="关于2026年第三季度督办件办理情况的通报",
        date=date(2026, 10, 15),
        document_number="江纪通〔2026〕12号",
        issuer="市纪委监委",
        summary="第三季度全市共推送办件412件，按期办结率93.2%，5个单位存在逾期未反馈问题。",
        body=(
            "<p>各监督主体、各职能部门：</p>"
            "<p>2026年第三季度，全市依托监督一张网共推送办件412件，已办结384件，按期办结率93.2%，"
            "较上季度提高4.1个百分点。市人大、市审计局、市财政局等单位推送的问题线索质量较高，"
            "协同处置效果明显。</p>"
            "<h3>一、存在的主要问题</h3>"
            "<ol><li>部分单位签收不及时，平均签收用时超过2个工作日；</li>"
            "<li>5个单位存在逾期未反馈问题，其中市住房和城乡建设局逾期3件；</li>"
            "<li>个别反馈材料内容空泛，被退回重办。</li></ol>"
            "<h3>二、工作要求</h3>"
            "<p>各单位要压实主体责任，对逾期办件逐件说明原因、明确时限，"
            "于10月31日前完成整改并在平台反馈。市纪委监委将对整改情况开展再监督。</p>"
        ),
    ),
    Circular(
        slug="medical-insurance-fund-cases",
        title="关于医保基金专项整治中典型问题的通报",
        date=date(2026, 9, 28),
        document_number="江纪通〔2026〕11号",
        issuer="市纪委监委 市医疗保障局",
        summary="通报医保基金专项整治中发现的3起典型问题，涉及虚假住院、串换药品和违规报销。",
        body=(
            "<p>医保基金专项整治开展以来，市纪委监委会同市医疗保障局、市审计局，"
            "通过监督一张网比对医保结算、民政救助等数据，发现并查处了一批侵害群众利益的问题。"
            "现将3起典型问题通报如下：</p>"
            "<ol><li>某区民营医院通过虚构住院、挂床住院等方式骗取医保基金23.6万元，"
            "相关责任人已移送司法机关；</li>"
            "<li>某药店串换药品、超量开药，违规结算医保基金4.2万元，已追回并解除医保服务协议；</li>"
            "<li>某街道社保所工作人员违规为不符合条件人员办理医疗救助，已给予政务记过处分。</li></ol>"
            "<p>各单位要以案为鉴，举一反三，对照问题清单开展自查自纠。</p>"
        ),
    ),
    Circular(
        slug="rural-road-project-audit",
        title="关于农村公路建设项目审计发现问题整改情况的通报",
        date=date(2026, 9, 10),
        document_number="江纪通〔2026〕10号",
        issuer="市审计局",
        summary="农村公路建设项目审计发现的17个问题已整改14个，3个问题纳入督办。",
        body=(
            "<p>市审计局对2025年度农村公路建设项目开展专项审计，发现工程结算不实、"
            "未按规定招标、质量保证金管理不规范等问题17个，经监督一张网推送至市交通运输局及相关业主单位。</p>"
            "<p>截至9月5日，已整改到位14个，追缴多计工程款186万元。其余3个问题整改进度滞后，"
            "已由派驻市交通运输局纪检监察组督办，请相关单位于9月30日前反馈整改结果。</p>"
        ),
    ),
    Circular(
        slug="12345-hotline-complaints",
        title="关于12345热线群众反映集中问题协同处置情况的通报",
        date=date(2026, 8, 20),
        document_number="江纪通〔2026〕9号",
        issuer="市纪委监委 市政务服务管理局",
        summary="7月以来12345热线反映物业管理、拖欠农民工工资等问题集中，已推送相关部门限期办理。",
        body=(
            "<p>7月以来，12345政务服务便民热线共受理群众诉求2.1万件，其中反映物业管理、"
            "拖欠农民工工资、城市管理等问题较为集中。经大数据比对，筛选出可能涉及作风问题的线索26条，"
            "已通过监督一张网推送至市住房和城乡建设局、市人力资源和社会保障局、市城市管理局。</p>"
            "<p>请各承办单位在5个工作日内签收，15个工作日内反馈办理结果；"
            "派驻纪检监察组要跟进监督，确保件件有回音、事事有着落。</p>"
        ),
    ),
    Circular(
        slug="network-go-live",
        title="关于监督一张网平台正式上线运行的通报",
        date=date(2026, 6, 30),
        document_number="江纪通〔2026〕7号",
        issuer="市纪委监委",
        summary="监督一张网平台于7月1日起正式上线，“1+9”监督主体和各职能部门全部接入。",
        body=(
            "<p>经前期试运行，监督一张网平台自2026年7月1日起正式上线运行。"
            "纪委监委监督、人大监督、民主监督、行政监督、司法监督、审计监督、财会监督、统计监督、"
            "群众监督、舆论监督等“1+9”监督主体和全市各职能部门已全部接入。</p>"
            "<p>各单位要明确协同监督对接人，及时签收、办理平台推送的办件，做到全程留痕、对账销号。</p>"
        ),
    ),
]

POLICIES = [
    Policy(
        slug="collaborative-supervision-measures",
        title="监督一张网协同监督工作办法",
        effective_date=date(2026, 7, 1),
        issuer="市纪委监委",
        summary="规定“1+9”监督主体之间问题推送、分办、抄送、转办、督办和对账销号的工作流程。",
        body=(
            "<h3>第一章 总则</h3>"
            "<p>第一条 为推动纪检监察监督与人大监督、民主监督、行政监督、司法监督、审计监督、"
            "财会监督、统计监督、群众监督、舆论监督贯通协调，依托监督一张网形成监督合力，制定本办法。</p>"
            "<p>第二条 各监督主体在履行职责中发现需其他单位处置的问题，通过平台推送，全程留痕。</p>"
            "<h3>第二章 办件流转</h3>"
            "<p>第三条 承办单位应在收到办件后2个工作日内签收；"
            "不属于本单位职责的，说明理由并提出建议承办单位后退回。</p>"
            "<p>第四条 办件办结后，由推送单位审核反馈材料，符合要求的对账销号，不符合要求的退回重办。</p>"
        ),
    ),
    Policy(
        slug="supervision-item-time-limits",
        title="督办件办理时限规定",
        effective_date=date(2026, 7, 1),
        issuer="市纪委监委",
        summary="明确督办件签收、办理、反馈的工作日时限，以及逾期预警和自动督办规则。",
        body=(
            "<p>一、办件时限以工作日计算，遇法定节假日顺延，调休上班日计入工作日。</p>"
            "<p>二、一般办件15个工作日内办结反馈；紧急办件5个工作日内办结反馈；"
            "情况复杂的，经推送单位同意可延期一次，延期不超过10个工作日。</p>"
            "<p>三、距办理期限3个工作日时平台黄色预警，逾期后红色预警，"
            "并依次向承办单位负责人、派驻纪检监察组和上一级纪委监委自动督办。</p>"
        ),
    ),
    Policy(
        slug="joint-meeting-system",
        title="贯通协调联席会议制度",
        effective_date=date(2026, 5, 15),
        issuer="市纪委监委",
        summary="联席会议每季度召开一次，通报监督一张网运行情况，会商重大复杂问题。",
        body=(
            "<p>一、联席会议由市纪委监委牵头，“1+9”监督主体分管负责同志参加，每季度召开一次，"
            "必要时可临时召开。</p>"
            "<p>二、会议主要任务：通报监督一张网运行情况和办件办理情况；会商跨部门、跨领域的重大复杂问题；"
            "研究部署下一阶段协同监督重点。</p>"
            "<p>三、会议议定事项形成纪要，通过平台推送相关单位落实，纳入督办管理。</p>"
        ),
    ),
]


def _child_of_type(parent: Page, model, slug: str):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    return page


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def _home_page() -> HomePage:
    """The portal's home page at depth 2, in place of Wagtail's default welcome page."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (say, after a TransactionTestCase) has no tree at all
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    # Wagtail's first migration creates a plain "Welcome" page with the slug "home" under the
    # root, and the default site points at it. Sites cascade-delete with their root page, so
    # point them at the tree root first, then remove the welcome page and put ours in its place.
    welcome = root.get_children().filter(slug="home", content_type__model="page",
                                         content_type__app_label="wagtailcore").first()
    if welcome is not None and not welcome.get_children().exists():
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
        root.refresh_from_db()
    slug = "home" if not root.get_children().filter(slug="home").exists() else "portal-home"
    return _publish_child(root, HomePage(title=settings.WAGTAIL_SITE_NAME, slug=slug))


def _site(home: HomePage) -> Site:
    site = (
        Site.objects.filter(hostname=SITE_HOSTNAME, port=SITE_PORT).first()
        or Site.objects.filter(is_default_site=True).first()
        or Site(hostname=SITE_HOSTNAME, port=SITE_PORT)
    )
    site.hostname, site.port = SITE_HOSTNAME, SITE_PORT
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.root_page = home
    site.is_default_site = True
    Site.objects.exclude(pk=site.pk).filter(is_default_site=True).update(is_default_site=False)
    site.save()
    return site


def _seed_section(home, index_page, page_type, pages: list[dict]) -> int:
    """Publish the index page under home unless it is there, then each missing page under it;
    returns how many pages were created."""
    index = _child_of_type(home, type(index_page), index_page.slug)
    if index is None:
        index = _publish_child(home, index_page)
    created = 0
    for fields in pages:
        if _child_of_type(index, page_type, fields["slug"]) is None:
            _publish_child(index, page_type(**fields))
            created += 1
    return created


@transaction.atomic
def seed_pages() -> dict[str, int]:
    """Ensure the site, its home page, the circular and policy indexes and their demo pages.

    Returns how many pages were created, by kind, so ``seed_demo`` can report it.
    """
    created = {"home": 0, "circulars": 0, "policies": 0}
    had_home = HomePage.objects.exists()
    home = _home_page()
    created["home"] = 0 if had_home else 1
    _site(home)

    created["circulars"] = _seed_section(
        home,
        CircularIndexPage(
            title="通报", slug="circulars", intro="<p>监督一张网各监督主体发布的工作通报。</p>"
        ),
        CircularPage,
        [
            {"title": item.title, "slug": item.slug, "date": item.date,
             "document_number": item.document_number, "issuer": item.issuer,
             "summary": item.summary, "body": item.body}
            for item in CIRCULARS
        ],
    )
    created["policies"] = _seed_section(
        home,
        PolicyIndexPage(
            title="制度", slug="policies", intro="<p>监督一张网协同监督工作遵循的制度文件。</p>"
        ),
        PolicyPage,
        [
            {"title": item.title, "slug": item.slug, "effective_date": item.effective_date,
             "issuer": item.issuer, "summary": item.summary, "body": item.body}
            for item in POLICIES
        ],
    )
    return created
