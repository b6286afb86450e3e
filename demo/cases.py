"""The cases of the demo board (``demo.board``): hand-written problems of 江州市 and their variants.

A data table, not code: each case is one kind of problem as a supervisory body would write it
up; each variant places it in a district with its own details and says how far it got.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.city import CITY
from issues.models import Category, Priority, Source

DH, XS, NJ, BC, LJ = "jz-donghu", "jz-xishan", "jz-nanjiang", "jz-beicheng", "jz-linjiang"


# --- the data ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """Where a case happened and how far it got.

    ``ago``: days since it was pushed; ``due``: its deadline in days from today (negative:
    overdue); ``fill``: the details that make the case's texts this variant's own.
    """

    region: str
    story: str
    ago: int
    due: int
    fill: dict
    lead: str = ""  # when this variant's lead is not the case's
    priority: str = ""


def v(region: str, story: str, ago: int, due: int, *, lead: str = "", priority: str = "", **fill) -> Variant:
    return Variant(region, story, ago, due, fill, lead, priority)


@dataclass(frozen=True)
class Case:
    """One kind of problem, as a supervisory body would write it up.

    Agencies are named by code (``jz-sjj``), by department line (``housing``: the variant's
    district department when the district has that line, else the city's), or ``city:housing``
    for the city department even in a district. Texts are ``str.format`` templates over the
    variant's ``fill`` and ``{district}``.
    """

    title: str
    description: str
    report: str
    category: str
    source: str
    initiator: str
    lead: str
    variants: tuple[Variant, ...]
    co: tuple[str, ...] = ()  # co-handlers named when the issue is pushed
    split: tuple[str, ...] = ()  # co-handlers the lead's leader assigns after signing (分办)
    co_report: str = ""
    copied: tuple[str, ...] = ()
    copy_later: tuple[str, ...] = ()  # bodies the initiator copies once work has started
    consult: tuple[str, str] | None = None  # (body the lead consults, its question)
    decline: tuple[str, str] | None = None  # (body the lead suggests, why it is not the lead's)
    transfer: tuple[str, str] | None = None  # (body the handler's leader transfers to, why)
    reject: str = ""  # what the initiator found missing from the first report
    summary: str = ""  # the initiator's words on closing
    priority: str = Priority.NORMAL


# --- the cases ---------------------------------------------------------------------------------
C, S, P = Category, Source, Priority
CASES: list[Case] = []

# -- construction and public works --------------------------------------------------------------
CASES += [
    Case(
        title="{project}施工许可审批停滞",
        description=(
            "{project}（总投资{money}亿元）已列入今年重点项目，但施工许可办理已停滞{months}个月：{stuck}。"
            "施工单位已进场，人员机械停工待命，每月窝工损失约百万元。"
        ),
        report="已召开专题协调会，明确{fix}。施工许可已核发，项目全面复工，形成并联审批工作纪要。",
        co_report="按协调会分工，本部门环节已办结，相关意见已书面送牵头单位。",
        category=C.CONSTRUCTION, source=S.SUPERVISION, priority=P.URGENT,
        initiator="jz-dcs", lead="housing", co=("development", "traffic-police"), copied=("jz-rd",),
        variants=(
            v(CITY, "closed", 82, -28, project="江州大道快速化改造工程", money="18.6", months="四",
              stuck=(
                  "发改委的可研批复与初步设计概算对不上，交警支队的交通组织方案迟迟未出具意见，住建局以要件不"
                  "全不予受理"
              ),
              fix="发改委重新核定概算、交警支队五个工作日内出具交通导改意见、住建局容缺受理"),
            v(DH, "awaiting", 30, 6, project="东湖区学府路拓宽改造工程", money="2.3", months="三",
              stuck=(
                  "红线内两处管线迁改未完成，交警要求先出具施工期交通疏导方案，住建部门要求先有交警意见才受理"
              ),
              fix="管线单位倒排迁改计划、交警先行出具附条件的疏导意见、区住建局并联审查"),
            v(XS, "late", 88, -21, project="西山区凤鸣路综合管廊工程", money="4.7", months="五",
              stuck="管廊断面调整后发改委要求重新报批，交警对围挡占道方案有异议，各部门互为前置",
              fix="发改委出具调整批复、交警同意分段围挡、区住建局核发施工许可"),
            v(CITY, "signed", 12, 9, project="江州东站综合交通枢纽配套道路工程", money="9.2", months="两",
              stuck="配套道路与铁路用地边界未确认，交警要求的信号配时方案尚未编制",
              fix="由发改委牵头确认用地边界、交警审定信号配时方案"),
            v(LJ, "reported", 45, 2, lead="city:housing", project="临江县滨江大道二期工程", money="3.1",
              months="四", stuck="跨县道节点的交通导改未获交警同意，发改委要求补充资金平衡方案",
              fix="交警同意夜间分段施工、发改委认可县级配套资金方案"),
        ),
    ),
    Case(
        title="{school}建设项目因规划调整停工",
        description=(
            "人大代表反映：{school}原定今年秋季投用，{detail}，工地已停工两个多月。"
            "周边{students}名学生只能继续在老校区挤大班，家长意见很大。"
        ),
        report="住建局牵头会商教育、自然资源部门，{fix}，项目已复工，预计明年春季学期投用。",
        co_report="已按分工办结本部门事项，书面意见已送市住建局。",
        category=C.CONSTRUCTION, source=S.SUPERVISION,
        initiator="jz-rd", lead="city:housing", split=("city:education", "natural-resources"),
        variants=(
            v(CITY, "closed", 75, -20, school="江州市第十二中学新校区", students="1800",
              detail="用地规划条件调整后施工图未重新审查",
              fix="自然资源和规划局出具调整后规划条件，施工图已完成复审"),
            v(DH, "split", 18, 12, school="东湖区实验小学东校区", students="900",
              detail="校门位置与规划道路冲突，需要调整总平面", fix="总平面调整方案已通过专家评审"),
            v(NJ, "reported", 50, 3, school="南江区滨江幼儿园", students="360",
              detail="幼儿园日照分析不达标，需降低相邻教学楼层数", fix="调整楼层布局后日照分析达标"),
            v(BC, "rejected", 60, -5, school="北城区第三初级中学扩建工程", students="1200",
              detail="扩建用地中有一处未征收到位的民房", fix="征收补偿已达成协议，房屋已腾空"),
        ),
    ),
    Case(
        title="{park}入口道路无路灯、无标线",
        description=(
            "{park}主入口至{gate}约{length}米路段至今未安装路灯，机动车道、人行横道标线全部缺失，"
            "夜间货车进出频繁，{detail}。企业多次反映，城管和交警都说要等园区道路移交。"
        ),
        report="已在{gate}路段安装路灯并通电，{length}米路段完成标线施划和减速带设置，道路移交手续同步办理。",
        co_report="已施划人行横道、导向箭头和停止线，增设限速标志和爆闪灯。",
        category=C.CONSTRUCTION, source=S.HOTLINE,
        initiator="jz-12345", lead="urban-management", co=("traffic-police",),
        variants=(
            v(DH, "closed", 70, -35, park="东湖高新技术产业园", gate="光谷三路", length="800",
              detail="近一个月已发生两起电动车与货车剐蹭事故"),
            v(NJ, "partly", 25, 4, park="南江滨江智造园", gate="港兴路", length="600",
              detail="三千多名职工下夜班只能打着手电通行"),
            v(XS, "signed", 9, 11, lead="city:urban-management", park="西山经济开发区", gate="凤栖路",
              length="1200", detail="渣土车夜间进出，路口没有停止线和导向箭头"),
            v(LJ, "late", 80, -15, lead="city:urban-management", park="临江县工业集中区", gate="园区一号路",
              length="950", detail="附近村民反映夜间常有车辆逆行"),
            v(BC, "pending", 4, 16, lead="city:urban-management", park="北城现代物流园", gate="物流大道",
              length="700", detail="冷链车排队时占用非机动车道，行人只能走机动车道"),
        ),
    ),
    Case(
        title="{estate}逾期{months}个月未交付",
        description=(
            "来信反映：{estate}共{households}户拆迁安置房，合同约定交房日期已过{months}个月仍未交付，"
            "过渡安置费自上季度起停发，部分老人在外租房，生活困难。"
        ),
        report=(
            "已督促施工单位增加作业班组，{households}户安置房已通过竣工验收并开始分批交付，欠发的过渡安置费已"
            "全部补发。"
        ),
        co_report="城投集团已拨付工程款，解决总包单位资金问题，并安排专班负责交房。",
        category=C.CONSTRUCTION, source=S.LETTERS, priority=P.URGENT,
        initiator="jz-jw", lead="city:housing", co=("jz-ctjt",),
        variants=(
            v(CITY, "reported", 70, -10, estate="江州新城安置小区三期", households="1260", months="十四"),
            v(DH, "late", 90, -30, estate="东湖区龙泉安置小区", households="680", months="九"),
            v(XS, "withdrawn", 40, 10, estate="西山区后湖还建小区", households="420", months="六"),
            v(NJ, "signed", 21, -1, estate="南江区港城安置房二期", households="950", months="十一"),
        ),
    ),
    Case(
        title="{community}老旧小区改造后外墙保温层脱落",
        description=(
            "媒体报道：{community}去年完成老旧小区改造，不到一年{building}外墙保温层大面积空鼓、脱落，"
            "{detail}。居民质疑改造工程质量和验收把关。"
        ),
        report=(
            "已责成施工单位对{building}外墙进行全面排查和返工，脱落部位已重新施工，监理单位被记不良行为一次，"
            "返工费用由施工单位承担。"
        ),
        category=C.CONSTRUCTION, source=S.MEDIA,
        initiator="jz-rmt", lead="housing",
        reject="反馈未提及验收环节的责任，请补充对监理和验收人员的处理情况。",
        variants=(
            v(DH, "closed", 65, -30, community="东湖区机械厂宿舍", building="3号楼和5号楼",
              detail="一块约两平方米的保温板砸坏了楼下停放的电动车"),
            v(XS, "redone", 50, -8, lead="housing", community="西山区棉纺厂生活区", building="7号楼",
              detail="居民在楼下拉起警戒线，老人孩子绕道走"),
            v(DH, "accepting", 35, 2, community="东湖区水果湖二村", building="12号楼",
              detail="脱落部位正对小区幼儿园入口"),
            v(BC, "pending", 7, 13, community="北城区铁路新村", building="东区4栋",
              detail="居民自发筹钱请人做了临时防护网"),
            v(NJ, "pending", 2, 18, community="南江区航运公司宿舍", building="2号楼",
              detail="外墙涂料和保温层一起起皮"),
        ),
    ),
    Case(
        title="{project}拖欠{workers}名农民工工资",
        description=(
            "{workers}名农民工集体来电反映：在{project}务工，被拖欠工资约{amount}万元，"
            "劳务分包单位称总包未拨款，总包称建设单位未付进度款，相互推脱。临近年关，情绪激动。"
        ),
        report=(
            "已约谈建设、总包和劳务分包单位，动用工资保证金并督促总包垫付，{amount}万元工资已全部发放到工人个"
            "人账户。"
        ),
        co_report="已将该项目纳入在建工程欠薪专项检查，暂停总包单位在本市新承接项目的投标资格。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE, priority=P.URGENT,
        initiator="jz-12345", lead="hrss", co=("city:housing",),
        variants=(
            v(DH, "closed", 40, -10, project="东湖区天悦府二期项目", workers="37", amount="86.4"),
            v(NJ, "closed", 30, -3, project="南江区港城大道绿化工程", workers="22", amount="41.7"),
            v(LJ, "partly", 20, 3, project="临江县人民医院门诊楼项目", workers="58", amount="132.5"),
            v(XS, "signed", 6, 9, project="西山区凤鸣府商业街项目", workers="19", amount="35.2"),
            v(BC, "reported", 25, 1, project="北城区物流园冷库工程", workers="26", amount="58.9"),
        ),
    ),
    Case(
        title="{project}招标疑似围标串标",
        description=(
            "审计发现：{project}招标中，{bidders}投标单位的投标文件由同一台电脑编制，"
            "报价呈规律性差异，其中两家投标保证金从同一账户转出，中标价接近最高限价。"
        ),
        report=(
            "已调取交易平台电子标书数据复核，认定{bidders}投标单位存在串通投标行为，已作出废标处理并将线索移"
            "送公安机关。"
        ),
        category=C.CONSTRUCTION, source=S.AUDIT,
        initiator="jz-sjj", lead="development",
        transfer=("city:housing",
        "经核查，该项目招投标活动的行政监督由行业主管部门负责，本委只负责交易平台运行"),
        variants=(
            v(CITY, "closed", 85, -40, project="市体育中心改造工程", bidders="四家"),
            v(CITY, "transferred", 26, 6, project="江州大道景观提升工程", bidders="三家"),
            v(DH, "signed", 15, 7, project="东湖区智慧停车场建设项目", bidders="五家"),
            v(NJ, "reported", 44, -2, project="南江区污水管网改造工程", bidders="三家"),
        ),
    ),
    Case(
        title="{bridge}护栏损坏长期未修复",
        description=(
            "媒体接到市民爆料：{bridge}{detail}，只用几个锥桶和一道警戒带围挡，已经一个多月无人维修，"
            "夜间车流量大，存在车辆坠桥风险。"
        ),
        report="已完成损坏护栏更换和防撞墩修复，增设夜间反光警示标志，并对全市同类桥梁护栏开展排查。",
        category=C.SAFETY, source=S.MEDIA,
        initiator="jz-rmt", lead="transport",
        consult=("jz-ctjt", "该桥是否仍在城投集团移交前的质保期内？请提供移交资料，以便明确维修责任。"),
        variants=(
            v(CITY, "closed", 50, -15, bridge="江州长江二桥北引桥", detail="护栏被货车撞断约20米"),
            v(XS, "signed", 10, 4, bridge="西山区凤鸣河大桥", detail="西侧护栏立柱断裂、横梁下垂"),
            v(LJ, "late", 75, -25, bridge="临江县城南大桥", detail="人行道栏杆缺失三段"),
            v(NJ, "reported", 18, 6, bridge="南江区港湾路跨线桥", detail="防撞护栏被撞变形外倾"),
        ),
    ),
    Case(
        title="{community}燃气管道老化存在泄漏隐患",
        description=(
            "{community}燃气管道已使用约{years}年，立管锈蚀严重，今年已发生{times}次泄漏报警。"
            "老旧小区改造时因资金问题未纳入燃气管道更新，居民担心出事。"
        ),
        report="已完成{community}燃气立管和入户管更换，安装燃气泄漏报警器，纳入燃气企业季度巡检范围。",
        co_report="已组织对小区燃气安全进行联合检查，督促燃气企业落实隐患整改。",
        category=C.SAFETY, source=S.SUPERVISION, priority=P.URGENT,
        initiator="jz-dcs", lead="utilities", co=("emergency",),
        variants=(
            v(DH, "closed", 60, -20, community="东湖区机电厂宿舍", years="三十", times="三"),
            v(BC, "reported", 28, 2, community="北城区纺织厂生活区", years="二十八", times="两"),
            v(NJ, "signed", 11, -2, community="南江区船厂新村", years="三十二", times="四"),
            v(XS, "partly", 22, 5, community="西山区水泥厂家属院", years="二十六", times="两"),
        ),
    ),
]

# -- the bounced 12345 complaints: declined, re-routed, transferred ------------------------------
CASES += [
    Case(
        title="{station}渗滤液外溢、异味扰民",
        description=(
            "{community}居民反复来电：{station}{detail}，窗户都不敢开。已打过多次12345，"
            "每次都说转给相关部门了，但问题一直没人解决。"
        ),
        report=(
            "已对{station}渗滤液收集池清淤扩容并更换除臭设备，委托第三方每周监测周边空气质量，连续三周达标。"
        ),
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="urban-management",
        decline=("city:urban-management", "该中转站由市城管局环卫处直管，不属于区城管局的管辖范围"),
        transfer=("environment",
        "渗滤液外溢和异味属污染排放问题，需由生态环境部门监测和执法，设施维修由本局另行安排"),
        variants=(
            v(DH, "bounced_done", 60, -20, community="东湖区翠湖花园小区", station="翠湖路垃圾中转站",
              detail="每天傍晚异味最重，渗滤液沿路边往下流"),
            v(NJ, "bounced", 20, 5, community="南江区望江苑小区", station="望江路垃圾中转站",
              detail="渗滤液流进雨水井，整条街都是臭味"),
            v(DH, "rerouted", 14, 8, community="东湖区桂香里社区", station="桂香街压缩式垃圾站",
              detail="压缩设备漏液，夏天苍蝇成群"),
            v(NJ, "declined", 6, 12, community="南江区滨河新村", station="滨河路垃圾转运点",
              detail="垃圾桶满溢，清运不及时"),
            v(DH, "bounced", 33, -3, community="东湖区东亭小区", station="东亭路垃圾中转站",
              detail="中转站紧挨着小区围墙，异味直冲三栋住宅楼"),
        ),
    ),
    Case(
        title="{road}路灯成片不亮",
        description=(
            "市民反映：{road}约{length}路灯成片不亮已一个多月，{detail}。"
            "打12345后市政、交通和城投三家都说不归自己管。"
        ),
        report="已完成{road}路灯线路检修和灯具更换，全部恢复照明，并明确了该路段路灯的日常管养单位。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="city:utilities",
        decline=("transport", "该路段为国省干线公路，路灯由交通运输部门负责管养，不在市政路灯管理范围内"),
        transfer=("jz-ctjt", "经核实，该路段路灯系城投集团代建工程，尚在质保期内，应由建设单位负责维修"),
        variants=(
            v(CITY, "bounced_done", 55, -25, road="S205省道江州东段", length="3公里",
              detail="夜间已发生一起行人被撞事故"),
            v(XS, "bounced", 28, -4, road="西山大道凤鸣立交至西环路段", length="1.8公里",
              detail="附近工厂下夜班的工人只能摸黑骑车"),
            v(LJ, "rerouted", 16, 5, road="临江县城东外环路", length="2.5公里",
              detail="沿线两所学校晚自习放学路段一片漆黑"),
            v(NJ, "declined", 5, 15, road="南江区港城大道辅道", length="900米", detail="公交站台附近全黑"),
        ),
    ),
    Case(
        title="{site}夜间违规施工噪声扰民",
        description=(
            "周边居民连续来电：{site}经常施工到{time}，{detail}，严重影响休息。"
            "居民打了多次电话，生态环境、住建、城管几个部门之间来回转。"
        ),
        report=(
            "已对施工单位超时施工立案查处，责令其严格按夜间施工许可时段作业，并在工地安装噪声在线监测设备。"
        ),
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="environment",
        decline=("housing", "建筑施工的夜间作业审批和工地管理属住建部门职责，本局只负责工业噪声"),
        transfer=("urban-management", "夜间施工许可本局已依法核发，超出许可时段施工的执法属城管综合执法职责"),
        variants=(
            v(DH, "bounced_done", 48, -18, site="东湖区天悦府三期工地", time="凌晨两点",
              detail="混凝土泵车连续作业"),
            v(DH, "bounced", 22, 3, site="东湖区东湖大道地铁站工地", time="半夜十二点以后",
              detail="破碎锤声音特别刺耳"),
            v(XS, "rerouted", 10, 10, site="西山区凤鸣府工地", time="晚上十一点",
              detail="塔吊和渣土车一直在作业"),
            v(XS, "declined", 3, 17, site="西山区西环路管网改造工地", time="深夜",
              detail="切割路面的噪声很大"),
        ),
    ),
]

# -- medical insurance --------------------------------------------------------------------------
CASES += [
    Case(
        title="{clinic}超量开药、串换药品套取医保基金",
        description=(
            "医保结算数据比对发现：{clinic}近半年{drug}的医保结算量是同级机构平均水平的{times}，"
            "部分参保人一个月内重复开药六次以上，另有疑似将保健品串换为医保目录药品结算的情况，涉及金额约{amo"
            "unt}万元。"
        ),
        report=(
            "已对{clinic}开展专项稽核，追回违规结算医保基金{amount}万元并处违约金，暂停医保结算三个月；涉嫌欺"
            "诈骗保的线索已移送公安机关。"
        ),
        co_report="已对该机构处方开具情况进行专项检查，对相关执业医师作出处理，并纳入医疗机构信用评价。",
        category=C.MEDICAL_INSURANCE, source=S.DATA, priority=P.URGENT,
        initiator="jz-sjj", lead="medical-insurance", co=("city:health",), copied=("jz-jw",),
        reject="反馈未说明追回资金的到账情况，请附退回医保基金的缴款凭证。",
        variants=(
            v(DH, "closed", 78, -40, clinic="东湖区康宁社区诊所", drug="阿托伐他汀钙片", times="4.6倍",
              amount="38.2"),
            v(XS, "awaiting", 26, 3, clinic="西山区仁和堂门诊部", drug="胰岛素注射液", times="3.8倍",
              amount="52.6"),
            v(NJ, "accepting", 40, -6, clinic="南江区惠民中医诊所", drug="复方丹参滴丸", times="5.2倍",
              amount="27.9"),
            v(LJ, "redone", 55, -12, clinic="临江县城关镇中心卫生院", drug="甲钴胺片", times="3.1倍",
              amount="19.4"),
            v(BC, "pending", 3, 12, clinic="北城区济生门诊部", drug="硝苯地平控释片", times="2.9倍",
              amount="14.8"),
            v(CITY, "late", 89, -45, clinic="江州仁济医院门诊部", drug="注射用头孢曲松钠", times="3.4倍",
              amount="96.5"),
        ),
    ),
    Case(
        title="{hospital}涉嫌“挂床住院”套取医保基金",
        description=(
            "群众举报，经医保智能监控核实：{hospital}有{patients}名参保人登记住院期间实际不在院，"
            "床位上只放着病号服，病历中的治疗记录与护理记录多处矛盾。"
        ),
        report=(
            "已对{hospital}全部在院患者现场核查，确认挂床住院{patients}人次，追回医保基金并解除相关科室医保服"
            "务协议，责任医生已被停止处方权。"
        ),
        co_report="已责令该院限期整改病历管理，对院长进行约谈，并在全市医疗机构通报。",
        category=C.MEDICAL_INSURANCE, source=S.LETTERS,
        initiator="jz-jw", lead="medical-insurance", co=("health",),
        variants=(
            v(BC, "closed", 66, -26, hospital="北城区第二人民医院", patients="23"),
            v(CITY, "reported", 38, 4, hospital="江州市中医院骨伤科", patients="17"),
            v(BC, "signed", 8, 14, hospital="北城区康复医院", patients="31"),
            v(CITY, "withdrawn", 45, 5, hospital="江州和平医院", patients="44"),
        ),
    ),
    Case(
        title="{pharmacy}用医保卡刷{goods}",
        description=(
            "记者暗访发现：{pharmacy}允许顾客用医保个人账户购买{goods}，收银小票上打印的却是药品名称，"
            "店员称“大家都这么做”。"
        ),
        report=(
            "已对{pharmacy}立案查处，暂停医保定点资格六个月，追回违规结算资金，并在全市定点药店开展同类问题排"
            "查。"
        ),
        co_report="已对该药店的进销存和价格标示进行检查，对其虚开票据行为作出行政处罚。",
        category=C.MEDICAL_INSURANCE, source=S.MEDIA,
        initiator="jz-rmt", lead="medical-insurance", co=("city:market-regulation",),
        variants=(
            v(DH, "closed", 58, -22, pharmacy="东湖区百姓缘大药房光谷店", goods="洗发水和食用油"),
            v(NJ, "reported", 30, 6, pharmacy="南江区益康大药房滨江店", goods="奶粉和保健品"),
            v(XS, "partly", 19, 2, pharmacy="西山区同心堂药店", goods="米面粮油"),
            v(LJ, "late", 80, -33, pharmacy="临江县民生大药房", goods="家电购物卡"),
        ),
    ),
    Case(
        title="{who}反映{what}",
        description="来电人反映：{detail}。来电人情绪焦急，希望尽快得到答复。",
        report="已与来电人联系说明政策，{fix}，来电人表示满意。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="medical-insurance",
        variants=(
            v(CITY, "closed", 45, -15, who="在外务工人员", what="异地住院直接结算无法办理",
              detail="在外省住院，医院称江州医保备案信息查询不到，只能全额自费后回来报销",
              fix="已核实系备案信息未同步，补录后办理了直接结算，已自费部分按规定报销"),
            v(CITY, "signed", 5, 10, who="慢性病患者家属", what="门诊慢特病待遇认定迟迟未批",
              detail="三个月前提交了门诊慢特病申请材料，至今没有结果，每月药费一千多元全部自费",
              fix="已完成待遇认定并追溯报销"),
            v(CITY, "rejected", 35, -2, who="退休职工", what="医保报销款半年未到账",
              detail="去年手工报销的住院费用，窗口说一个月到账，现在半年过去了还没到",
              fix="经查系银行账户信息有误导致退票，已更正后重新拨付"),
        ),
    ),
    Case(
        title="{hospital}重复收取{item}费用",
        description=(
            "患者反映，经审计抽查住院费用清单核实：{hospital}对{item}存在打包收费后又单独计费的情况，"
            "抽查的病历中有{cases}份存在重复收费。"
        ),
        report=(
            "已责令{hospital}全面自查并向患者退还重复收取的费用，对收费管理相关责任人作出处理，医保部门同步扣"
            "回违规结算金额。"
        ),
        co_report="已按医保协议扣回违规结算费用，并将该问题纳入全市医保飞行检查重点。",
        category=C.MEDICAL_INSURANCE, source=S.AUDIT,
        initiator="jz-sjj", lead="city:health", co=("medical-insurance",),
        variants=(
            v(CITY, "closed", 52, -20, hospital="江州市第一人民医院", item="一次性手术耗材", cases="146"),
            v(XS, "reported", 24, 3, hospital="西山区人民医院", item="护理", cases="62"),
            v(NJ, "signed", 9, -1, hospital="南江区妇幼保健院", item="检验", cases="38"),
        ),
    ),
]

# -- public services ----------------------------------------------------------------------------
CASES += [
    Case(
        title="{school}上下学时段校门口交通拥堵",
        description=(
            "政协委员提案反映：{school}位于{road}，上下学时段家长车辆沿路临停，{detail}，"
            "学生穿行车流，存在安全隐患。"
        ),
        report=(
            "已在{road}校门口施划临时停车泊位和接送区，高峰时段增派警力和护学岗，实行单向通行，拥堵明显缓解。"
        ),
        co_report="已指导学校实行错峰放学，组织家长志愿者护学岗，并开通两条定制公交线路。",
        category=C.PUBLIC_SERVICE, source=S.SUPERVISION,
        initiator="jz-zx", lead="city:traffic-police", split=("city:education",),
        variants=(
            v(DH, "closed", 70, -30, school="东湖区实验小学", road="学府路",
              detail="高峰期单程要堵二十多分钟"),
            v(XS, "split", 16, 10, school="西山区凤鸣中学", road="凤鸣路", detail="公交车无法进站"),
            v(NJ, "reported", 35, -3, school="南江区港湾小学", road="港湾路",
              detail="一个月内发生三起轻微剐蹭"),
            v(BC, "partly", 20, 2, school="北城区育英学校", road="育英街", detail="消防车道被长期占用"),
            v(LJ, "pending", 1, 20, school="临江县第一中学", road="人民路", detail="校门正对县城主干道"),
        ),
    ),
    Case(
        title="{line}公交{stop}站被撤后居民出行不便",
        description=(
            "居民来电反映：{line}公交线路调整后撤销了{stop}站，附近{people}出行要多走近两公里，"
            "多次向公交公司反映无果。"
        ),
        report="已会同公交公司重新论证，恢复设置{stop}站，调整后的线路已对外公示运行。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="transport",
        transfer=("traffic-police", "站点撤并系交警部门道路交通组织调整所致，恢复设站需交警重新审核"),
        variants=(
            v(NJ, "closed", 40, -10, line="26路", stop="望江苑", people="两个老旧小区的老人"),
            v(XS, "transferred", 18, 6, line="108路", stop="凤鸣菜场", people="菜场摊贩和周边居民"),
            v(LJ, "signed", 7, 8, line="县城3路", stop="县医院南门", people="就医患者"),
            v(BC, "withdrawn", 20, 5, line="15路", stop="铁路新村", people="铁路新村居民"),
        ),
    ),
    Case(
        title="{street}占道经营屡禁不止",
        description=(
            "居民反映：{street}{detail}，城管来了就收、走了又摆，早晚高峰车辆和行人都过不去。"
        ),
        report=(
            "已在{street}设置便民疏导点，将流动摊贩引导入点经营，建立“定人定岗”巡查机制，持续跟踪两周未再反弹"
            "。"
        ),
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="urban-management",
        variants=(
            v(DH, "closed", 30, -12, street="东湖区菜市街", detail="早市摊贩占满整条机动车道"),
            v(NJ, "closed", 22, -4, street="南江区江滩夜市周边", detail="烧烤摊夜间占用人行道到凌晨"),
            v(DH, "signed", 4, 6, street="东湖区中山路地铁口", detail="水果摊和小吃车堵住地铁出入口"),
            v(NJ, "redone", 28, -5, street="南江区港湾路学校门口", detail="放学时段小吃摊围住校门"),
            v(XS, "pending", 2, 8, street="西山区凤鸣菜场外围", detail="摊贩把菜摊摆到了公交站台上"),
        ),
    ),
    Case(
        title="{community}申请使用住宅专项维修资金{months}个月未获批",
        description=(
            "人大代表转来居民诉求：{community}{detail}，业委会{months}个月前按程序申请使用住宅专项维修资金，"
            "至今没有批复，居民只能自掏腰包应急。"
        ),
        report="已简化应急使用审批流程，{community}的维修资金申请已批复并拨付，维修工程已开工。",
        category=C.PUBLIC_SERVICE, source=S.SUPERVISION,
        initiator="jz-rd", lead="housing",
        variants=(
            v(DH, "awaiting", 24, 1, community="东湖区碧水苑小区", months="五", detail="两部电梯频繁困人"),
            v(XS, "reported", 30, 5, community="西山区西苑小区", months="四",
              detail="屋面防水失效，顶楼住户家里漏水"),
            v(CITY, "closed", 60, -25, community="江州市政府路金桂园小区", months="六",
              detail="消防管网锈穿，消火栓无水"),
            v(NJ, "pending", 6, 14, community="南江区望江苑小区", months="三", detail="外墙瓷砖成片脱落"),
        ),
    ),
    Case(
        title="{community}一个月内停水{times}次",
        description=(
            "居民反映：{community}近一个月停水{times}次，{detail}，停水前没有任何通知。"
        ),
        report="经查系片区主管老化爆管所致，已更换{community}段供水主管，建立停水提前24小时公告制度。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="utilities",
        consult=("jz-swjt", "请水务集团说明该片区管网改造计划，以及近期停水通知为何没有发布。"),
        variants=(
            v(BC, "closed", 35, -8, community="北城区铁路新村", times="五", detail="最长一次停了二十个小时"),
            v(NJ, "signed", 8, 5, community="南江区船厂新村", times="四", detail="高层住户水压一直不足"),
            v(XS, "late", 60, -20, community="西山区水泥厂家属院", times="六", detail="来水后水质发黄"),
            v(DH, "reported", 20, 4, community="东湖区东亭小区", times="三", detail="夜间停水影响老人用水"),
        ),
    ),
    Case(
        title="{window}推诿扯皮、群众办事跑多次",
        description=(
            "群众反映：到{window}办理{business}，{detail}，前后跑了{times}趟仍未办成。"
        ),
        report=(
            "已对窗口工作人员进行批评教育并调离窗口岗位，{business}实行一次性告知和容缺受理，来电人事项已办结"
            "。"
        ),
        category=C.CONDUCT, source=S.HOTLINE,
        initiator="jz-12345", lead="hrss",
        reject="请补充对相关工作人员的处理情况和窗口作风整改措施。",
        variants=(
            v(CITY, "closed", 25, -5, window="市民中心社保窗口", business="灵活就业人员参保登记", times="四",
              detail="每次都被要求补一份新材料"),
            v(DH, "signed", 5, 5, window="东湖区政务服务中心人社窗口", business="失业保险金申领", times="三",
              detail="窗口人员称系统故障让下次再来"),
            v(XS, "rejected", 30, -4, window="西山区社保分中心", business="养老保险关系转移", times="五",
              detail="工作人员让去原参保地开证明，原参保地说不需要"),
        ),
    ),
    Case(
        title="{place}共享单车乱停乱放堵塞通道",
        description="市民反映：{place}共享单车大量堆放，{detail}，运营企业清运不及时。",
        report="已约谈三家共享单车运营企业，在{place}施划停放区并设置电子围栏，安排专人定时清运。",
        category=C.PUBLIC_SERVICE, source=S.HOTLINE,
        initiator="jz-12345", lead="city:urban-management",
        variants=(
            v(CITY, "closed", 21, -6, place="江州站南广场", detail="盲道和消防通道被完全占用"),
            v(CITY, "signed", 3, 4, place="市民中心地铁站", detail="出站口被堵得只剩一人宽"),
            v(DH, "reported", 12, 2, place="东湖区步行街北口", detail="倒伏的单车绊倒了一位老人"),
        ),
    ),
]

# -- welfare and social assistance --------------------------------------------------------------
CASES += [
    Case(
        title="{village}低保评定优亲厚友",
        description=(
            "巡察发现：{village}{households}户{relation}享受低保，其中部分家庭有商铺出租或有车辆登记，"
            "而村里两户重病致贫家庭申请多次未获批准。"
        ),
        report=(
            "已对{village}低保对象全面复核，清退不符合条件的{households}户并追回低保金，将两户困难家庭纳入保"
            "障，村干部违规问题线索已移送纪检监察机关。"
        ),
        category=C.WELFARE, source=S.INSPECTION,
        initiator="jz-jw", lead="civil-affairs",
        reject="反馈未说明追回资金数额和对村干部的处理情况，请补充。",
        variants=(
            v(LJ, "closed", 80, -35, village="临江县白沙镇金湾村", households="7", relation="村干部近亲属"),
            v(LJ, "reported", 40, 2, village="临江县石桥镇柳树村", households="5", relation="村委委员亲属"),
            v(LJ, "redone", 55, -10, village="临江县沙湾乡河口村", households="9", relation="村组长及其亲属"),
            v(LJ, "signed", 12, -2, village="临江县城关镇新民村", households="4", relation="村会计亲属"),
            v(DH, "pending", 3, 20, village="东湖区龙泉街道龙泉社区", households="6",
              relation="社区工作人员亲属"),
        ),
    ),
    Case(
        title="{district}高龄津贴连续{months}个月未发放",
        description=(
            "人大代表反映：{district}{detail}的高龄津贴已连续{months}个月没有发放，老人多次到社区询问，"
            "社区说资金还没拨下来。"
        ),
        report="经查系津贴发放系统切换导致数据未推送，已补发全部欠发津贴，建立按月核对机制。",
        category=C.WELFARE, source=S.SUPERVISION,
        initiator="jz-rd", lead="city:civil-affairs",
        variants=(
            v(CITY, "closed", 50, -18, months="三", detail="约两千名八十周岁以上老人"),
            v(XS, "signed", 14, 3, months="两", detail="后湖街道的一百多名老人"),
            v(NJ, "reported", 26, 7, months="四", detail="港城街道九十周岁以上老人"),
        ),
    ),
    Case(
        title="{home}消防设施不全、护理员严重不足",
        description=(
            "检查发现：{home}入住老人{elders}名，{detail}，夜间只有{staff}名护理员值班，"
            "但该机构仍足额领取运营补贴。"
        ),
        report=(
            "已责令{home}完成消防设施整改并配齐护理人员，暂扣运营补贴直至整改验收合格，对全市养老机构开展消防"
            "安全排查。"
        ),
        co_report="已对该机构进行消防安全检查，督促完成自动喷淋和烟感报警系统安装。",
        category=C.SAFETY, source=S.INSPECTION, priority=P.URGENT,
        initiator="jz-jw", lead="civil-affairs", co=("emergency",),
        variants=(
            v(CITY, "closed", 55, -15, home="江州市福寿园养老中心", elders="186", staff="两",
              detail="喷淋系统未通水，疏散通道堆放杂物"),
            v(LJ, "partly", 25, 3, home="临江县城关镇敬老院", elders="64", staff="一",
              detail="烟感报警器大部分失效"),
            v(CITY, "late", 85, -30, home="江州康乐老年公寓", elders="120", staff="两",
              detail="使用大功率电器取暖"),
            v(LJ, "signed", 6, 12, home="临江县白沙镇中心敬老院", elders="48", staff="一",
              detail="楼梯间堆放被褥"),
        ),
    ),
    Case(
        title="{district}{persons}名已故人员仍在领取养老金",
        description=(
            "审计将社保发放数据与殡葬、户籍数据比对发现：{district}有{persons}名参保人已死亡，"
            "但养老金仍在按月发放，累计多发{amount}万元，最长的已多领三年。"
        ),
        report=(
            "已停发{persons}人养老金，追回{amount}万元，对拒不退还的家属依法追缴，并与民政、公安建立死亡数据"
            "每月比对机制。"
        ),
        co_report="已向人社部门推送全部殡葬火化数据，建立每月自动比对接口。",
        category=C.WELFARE, source=S.AUDIT,
        initiator="jz-sjj", lead="hrss", co=("city:civil-affairs",),
        variants=(
            v(DH, "closed", 70, -30, persons="46", amount="112.7"),
            v(XS, "reported", 32, 5, persons="29", amount="68.3"),
            v(LJ, "late", 86, -40, persons="71", amount="203.5"),
        ),
    ),
]

# -- ecology and environment --------------------------------------------------------------------
CASES += [
    Case(
        title="{river}沿岸{outfalls}排污口直排",
        description=(
            "检察机关在公益诉讼调查中发现：{river}沿岸{outfalls}排污口未经审批设置，{detail}，"
            "已向有关部门发出诉前检察建议。"
        ),
        report=(
            "已对{outfalls}排污口全部封堵或纳管，对涉事企业立案处罚，{river}断面水质连续一个月达到考核要求。"
        ),
        category=C.ENVIRONMENT, source=S.SUPERVISION,
        initiator="jz-jcy", lead="environment", copied=("jz-rd",),
        consult=("water", "请水务局说明该河段雨污分流改造的进度和资金安排。"),
        variants=(
            v(DH, "closed", 75, -30, river="东湖港", outfalls="3处", detail="污水呈灰黑色，夏天有明显异味"),
            v(NJ, "reported", 40, 3, river="南江支渠", outfalls="5处", detail="其中两处为洗车场直排"),
            v(LJ, "signed", 15, 6, river="临江县白沙河", outfalls="2处", detail="养殖场粪污直接入河"),
            v(XS, "late", 85, -28, river="西山区凤鸣河", outfalls="4处", detail="河面漂浮泡沫"),
            v(BC, "accepting", 34, 1, river="北城区护城河", outfalls="2处",
              detail="沿河餐饮店隔油池溢流入河"),
        ),
    ),
    Case(
        title="{restaurant}油烟直排扰民",
        description="楼上居民反映：{restaurant}{detail}，油烟直接排到住宅楼，家里窗户不敢开。",
        report="已责令{restaurant}安装油烟净化设备并改造排烟管道，经检测油烟排放达标。",
        category=C.ENVIRONMENT, source=S.HOTLINE,
        initiator="jz-12345", lead="urban-management",
        variants=(
            v(DH, "closed", 28, -6, restaurant="东湖区“老码头火锅”", detail="排烟口正对居民卧室"),
            v(NJ, "reported", 14, 2, restaurant="南江区江滩烧烤一条街", detail="每晚营业到凌晨三点"),
            v(NJ, "closed", 40, -14, restaurant="南江区港湾路“湘味小厨”", detail="没有安装任何净化设备"),
            v(DH, "pending", 1, 6, restaurant="东湖区中山路“阿强排档”", detail="占用消防通道支灶台"),
        ),
    ),
    Case(
        title="{place}夜间非法采砂",
        description="群众举报并经媒体暗访证实：{place}{detail}，采砂船夜间作业、白天撤离，岸线已明显塌陷。",
        report="已联合执法查扣采砂船{boats}艘，对涉案人员立案侦查线索移送公安机关，建立夜间联合巡查机制。",
        category=C.ENVIRONMENT, source=S.MEDIA,
        initiator="jz-rmt", lead="natural-resources",
        consult=("water", "该河段是否在可采区范围内？请提供河道采砂规划和许可情况。"),
        variants=(
            v(LJ, "closed", 60, -25, place="临江县长江沙洲段", boats="3", detail="有三艘无名采砂船"),
            v(XS, "signed", 10, 8, place="西山区凤鸣河入江口", boats="2", detail="有人用抽砂泵偷采"),
            v(NJ, "reported", 30, -1, place="南江区江心洲", boats="4", detail="采砂船伪装成运输船"),
        ),
    ),
    Case(
        title="{village}{area}耕地被违规占用",
        description=(
            "卫星遥感比对和实地核查发现：{village}{area}永久基本农田被{use}，"
            "其中部分地块是已建成的高标准农田。"
        ),
        report="已对违法占地立案查处，拆除违法建筑，{area}耕地完成复垦并通过验收，恢复种植。",
        co_report="已对复垦地块完成土壤改良和灌溉设施修复，纳入高标准农田管护。",
        category=C.ENVIRONMENT, source=S.DATA,
        initiator="jz-dcs", lead="natural-resources", co=("agriculture",),
        variants=(
            v(LJ, "closed", 80, -40, village="临江县沙湾乡新丰村", area="86亩", use="挖塘养鱼"),
            v(LJ, "partly", 30, 4, village="临江县石桥镇花园村", area="42亩", use="建设仓储大棚"),
            v(LJ, "late", 70, -10, village="临江县白沙镇金湾村", area="35亩", use="堆放建筑垃圾"),
            v(LJ, "signed", 5, 13, village="临江县城关镇新民村", area="18亩", use="违规建设停车场"),
        ),
    ),
    Case(
        title="{site}扬尘污染严重",
        description="周边居民反映：{site}{detail}，大风天整片小区都是灰，居民阳台一天擦好几次。",
        report="已责令{site}停工整改，落实裸土覆盖、车辆冲洗和喷淋降尘措施，安装扬尘在线监测设备并接入平台。",
        category=C.ENVIRONMENT, source=S.HOTLINE,
        initiator="jz-12345", lead="housing",
        variants=(
            v(DH, "closed", 20, -5, site="东湖区金地未来城工地", detail="土方开挖没有覆盖"),
            v(XS, "closed", 26, -8, site="西山区凤鸣府工地", detail="渣土车出场不冲洗"),
            v(XS, "signed", 3, 4, site="西山区后湖还建小区工地", detail="喷淋设备从来没开过"),
            v(DH, "awaiting", 10, 2, site="东湖区东湖大道地铁施工段", detail="破碎作业不洒水"),
            v(NJ, "pending", 2, 5, site="南江区港城大道道路工地", detail="沿路堆放大量渣土"),
        ),
    ),
]

# -- work safety --------------------------------------------------------------------------------
CASES += [
    Case(
        title="{warehouse}违规储存危险化学品",
        description=(
            "媒体报道：{warehouse}距居民区不足百米，{detail}，仓库未取得危险化学品经营许可，"
            "消防设施形同虚设。"
        ),
        report=(
            "已责令{warehouse}立即停止储存并转移全部危险化学品，对经营单位立案处罚，在全市开展危化品非法储存"
            "专项排查。"
        ),
        category=C.SAFETY, source=S.MEDIA, priority=P.CRITICAL,
        initiator="jz-rmt", lead="emergency",
        consult=("environment", "请生态环境局对仓库周边土壤和地下水进行应急监测。"),
        variants=(
            v(NJ, "closed", 45, -15, warehouse="南江区港兴化工仓储点", detail="存放着几十桶甲苯和丙酮"),
            v(XS, "reported", 25, 3, warehouse="西山区凤栖路一处民房仓库", detail="堆放大量液化气钢瓶"),
            v(BC, "signed", 6, -1, warehouse="北城区物流园一处冷库", detail="违规存放液氨"),
        ),
    ),
    Case(
        title="{village}自建房违规改建为出租屋",
        description=(
            "排查发现：{village}{houses}自建房擅自加层并改为群租房，{detail}，"
            "一旦发生火灾后果不堪设想。"
        ),
        report=(
            "已对{houses}自建房完成安全鉴定，拆除违法加建部分，存在重大隐患的{houses}全部清人停租，督促房东完"
            "成消防改造。"
        ),
        co_report="已会同街道对出租屋开展消防安全检查，查处电动车入户充电行为。",
        category=C.SAFETY, source=S.INSPECTION, priority=P.URGENT,
        initiator="jz-jw", lead="housing", co=("emergency",),
        variants=(
            v(XS, "closed", 50, -20, village="西山区后湖片区城中村", houses="12栋",
              detail="楼道里停满电动车，飞线充电"),
            v(DH, "partly", 18, 1, village="东湖区龙泉街道城中村", houses="8栋", detail="每层隔出十几个单间"),
            v(NJ, "pending", 4, 10, village="南江区港湾街道渔村片区", houses="6栋",
              detail="没有第二安全出口"),
            v(XS, "reopened", 75, -35, village="西山区凤鸣街道老街片区", houses="9栋",
              detail="一楼开设小作坊"),
        ),
    ),
    Case(
        title="{school}食堂食品安全问题",
        description="媒体接到家长反映：{school}食堂{detail}，已有学生出现腹泻症状。",
        report="已对{school}食堂全面检查，更换承包商，对相关责任人作出处理，建立家长陪餐和食材留样公示制度。",
        co_report="已责成学校落实校长陪餐制度，在全市中小学开展食堂食品安全专项检查。",
        category=C.SAFETY, source=S.MEDIA, priority=P.URGENT,
        initiator="jz-rmt", lead="city:market-regulation", co=("city:education",),
        variants=(
            v(DH, "closed", 40, -12, school="东湖区育才小学", detail="使用过期食材"),
            v(XS, "reported", 20, 4, school="西山区凤鸣中学", detail="后厨有老鼠出没"),
            v(NJ, "reopened", 70, -25, school="南江区港湾小学", detail="餐具消毒柜长期未使用"),
            v(BC, "signed", 4, 9, school="北城区育英学校", detail="饭菜分量不足且价格偏高"),
        ),
    ),
    Case(
        title="{community}电梯频繁困人",
        description="居民反映：{community}电梯近一个月困人{times}次，{detail}，维保单位敷衍了事。",
        report="已对{community}电梯进行安全检验，责令维保单位更换故障部件，对维保单位立案处罚。",
        category=C.SAFETY, source=S.HOTLINE,
        initiator="jz-12345", lead="city:market-regulation",
        variants=(
            v(DH, "closed", 30, -8, community="东湖区碧水苑小区", times="四", detail="有一次困住了一位孕妇"),
            v(BC, "signed", 7, 2, community="北城区铁路新村高层", times="三", detail="电梯运行时异响"),
            v(NJ, "late", 55, -18, community="南江区望江苑小区", times="五", detail="维保记录造假"),
        ),
    ),
]

# -- public funds and assets --------------------------------------------------------------------
CASES += [
    Case(
        title="{project}专项债资金闲置{months}个月",
        description=(
            "审计发现：{project}申请的专项债券资金{amount}到位后闲置{months}个月，"
            "项目前期手续未完成，资金却一直躺在账上支付利息。"
        ),
        report="已调整专项债资金用途，将闲置资金调整用于已开工项目，{project}前期手续已办结并开工。",
        co_report="已按程序办理专项债资金用途调整，加强专项债资金支出进度监控。",
        category=C.PUBLIC_FUNDS, source=S.AUDIT,
        initiator="jz-sjj", lead="development", co=("city:finance",),
        reject="请补充资金调整的审批文件和新项目的支出进度。",
        variants=(
            v(CITY, "closed", 88, -45, project="江州数字经济产业园基础设施项目", amount="2.4亿元",
              months="九"),
            v(DH, "reported", 50, 2, project="东湖区老旧管网改造项目", amount="8600万元", months="七"),
            v(XS, "rejected", 60, -6, project="西山区冷链物流中心项目", amount="1.2亿元", months="十"),
            v(NJ, "signed", 10, 20, project="南江区江滩公园提升项目", amount="5300万元", months="六"),
        ),
    ),
    Case(
        title="{unit}违规发放{item}",
        description=(
            "财会监督检查发现：{unit}以{cover}名义违规发放{item}，涉及{people}人、金额{amount}万元，"
            "相关支出在账务上列支为办公费用。"
        ),
        report=(
            "已清退违规发放的{item}{amount}万元，对单位主要负责人和财务负责人作出处理，完善了内部财务审批制度"
            "。"
        ),
        category=C.PUBLIC_FUNDS, source=S.SUPERVISION,
        initiator="jz-kjjd", lead="transport",
        consult=("city:finance", "请财政局明确该项补贴是否有文件依据及标准。"),
        variants=(
            v(CITY, "closed", 60, -20, unit="市公路事业发展中心", item="交通补贴和加班费", cover="节日慰问",
              people="86", amount="64.8"),
            v(CITY, "reported", 35, 5, lead="city:health", unit="市疾病预防控制中心", item="防疫补助",
              cover="专项工作奖励", people="124", amount="97.2"),
            v(CITY, "late", 80, -30, lead="utilities", unit="市路灯管理所", item="夜班津贴", cover="值班补助",
              people="43", amount="28.6"),
            v(CITY, "signed", 9, 6, lead="city:urban-management", unit="市环卫处", item="高温补贴",
              cover="防暑降温", people="210", amount="52.5"),
        ),
    ),
    Case(
        title="{district}学校采购{goods}价格明显高于市场价",
        description=(
            "财会监督检查发现：{district}{schools}学校采购的{goods}单价比同期同型号市场价高出{markup}，"
            "采购文件中的技术参数指向特定品牌。"
        ),
        report=(
            "已暂停相关合同付款，委托第三方重新评估价格，追回多付款项，对采购经办人员作出处理，修订教育装备采"
            "购管理办法。"
        ),
        category=C.PUBLIC_FUNDS, source=S.SUPERVISION,
        initiator="jz-kjjd", lead="city:education",
        variants=(
            v(DH, "closed", 55, -20, schools="14所", goods="智慧黑板", markup="42%"),
            v(XS, "reported", 30, 2, schools="9所", goods="录播教室设备", markup="35%"),
            v(NJ, "signed", 12, -3, schools="6所", goods="学生课桌椅", markup="28%"),
            v(LJ, "pending", 5, 10, schools="11所", goods="直饮水设备", markup="50%"),
        ),
    ),
    Case(
        title="{asset}以明显低于市场价出租",
        description=(
            "审计发现：{asset}（约{area}）以每年{rent}的价格出租给一家私营公司，不到周边同类资产租金的三成，"
            "租期长达二十年且未经评估和公开招租。"
        ),
        report="已与承租方协商解除原租赁合同，{asset}经评估后重新公开招租，对违规决策的相关人员作出处理。",
        category=C.PUBLIC_FUNDS, source=S.AUDIT,
        initiator="jz-sjj", lead="jz-ctjt", copied=("sasac",),
        variants=(
            v(CITY, "closed", 70, -30, asset="江州大道沿街商铺", area="3200平方米", rent="38万元"),
            v(DH, "signed", 15, 3, asset="东湖区中山路原粮站仓库", area="5600平方米", rent="12万元"),
            v(CITY, "withdrawn", 50, 9, asset="江州站南广场地下停车场", area="180个车位", rent="25万元"),
        ),
    ),
    Case(
        title="{township}高标准农田建设项目资金使用不规范",
        description=(
            "审计发现：{township}{area}高标准农田建设项目中，{detail}，涉及资金{amount}。"
        ),
        report=(
            "已对{township}项目全面清查，追回多付工程款，责令施工单位返工整改，对监理单位和项目负责人作出处理"
            "。"
        ),
        co_report="已对项目资金拨付情况逐笔核对，暂停拨付剩余资金直至整改验收合格。",
        category=C.PUBLIC_FUNDS, source=S.AUDIT,
        initiator="jz-sjj", lead="agriculture", co=("city:finance",),
        variants=(
            v(LJ, "closed", 80, -35, township="白沙镇", area="1.2万亩", amount="1860万元",
              detail="灌溉渠道实际长度比结算少了三公里"),
            v(LJ, "reported", 35, 1, township="石桥镇", area="8000亩", amount="960万元",
              detail="部分田间道路未按设计硬化"),
            v(LJ, "redone", 60, -8, township="沙湾乡", area="6500亩", amount="780万元",
              detail="机井建成后从未通电使用"),
            v(LJ, "pending", 3, 20, township="城关镇", area="4200亩", amount="530万元",
              detail="项目验收资料存在代签"),
        ),
    ),
]

# -- statistics, conduct, business environment --------------------------------------------------
CASES += [
    Case(
        title="{district}固定资产投资项目入库数据不实",
        description=(
            "统计执法检查发现：{district}{projects}固定资产投资入库项目{detail}，"
            "虚报投资额约{amount}。"
        ),
        report="已将{projects}不实项目退库并更正统计数据，对相关责任人作出处理，建立项目入库联审制度。",
        category=C.OTHER, source=S.DATA,
        initiator="jz-tjj", lead="development",
        variants=(
            v(DH, "closed", 60, -22, projects="7个", amount="12.3亿元", detail="实际未开工"),
            v(XS, "signed", 20, 5, projects="5个", amount="6.8亿元", detail="投资额按合同额一次性入库"),
            v(NJ, "reported", 33, -2, projects="4个", amount="3.9亿元", detail="重复入库"),
            v(BC, "pending", 4, 11, projects="3个", amount="2.1亿元", detail="入库资料缺少施工许可"),
        ),
    ),
    Case(
        title="{unit}公车私用",
        description="媒体接到举报并拍到：{unit}公务用车{detail}，车辆有公务用车标识。",
        report="经查属实，已对驾驶人给予党纪处分并收回车辆使用权，对单位公务用车管理问题在系统内通报。",
        category=C.CONDUCT, source=S.MEDIA,
        initiator="jz-rmt", lead="transport",
        variants=(
            v(CITY, "closed", 40, -10, unit="市交通运输局下属运输管理处", detail="周末停在郊区钓鱼场"),
            v(CITY, "reported", 20, 3, lead="city:urban-management", unit="市城管局执法支队",
              detail="工作日晚上停在一家酒店门口"),
            v(XS, "signed", 6, 8, lead="housing", unit="西山区住建局", detail="节假日出现在外省旅游景区"),
        ),
    ),
    Case(
        title="拖欠{company}工程款{amount}",
        description=(
            "政协委员反映：{company}承建的{project}已竣工验收{years}，仍被拖欠工程款{amount}，"
            "企业资金链紧张，已拖欠上游材料款。"
        ),
        report="已将拖欠款项纳入清欠台账，{amount}工程款已分两批支付完毕，企业确认收到。",
        co_report="城投集团已完成工程结算审计，按清欠计划支付。",
        category=C.BUSINESS_ENVIRONMENT, source=S.SUPERVISION,
        initiator="jz-zx", lead="city:finance", co=("jz-ctjt",),
        variants=(
            v(CITY, "closed", 70, -28, company="江州恒力建材有限公司", project="江州大道绿化工程",
              amount="1260万元", years="两年"),
            v(DH, "reported", 35, 4, company="东湖鑫源市政工程有限公司", project="东湖区背街小巷改造工程",
              amount="480万元", years="一年半"),
            v(XS, "signed", 15, -3, company="西山宏达建设有限公司", project="西山区农贸市场改造工程",
              amount="350万元", years="三年"),
            v(NJ, "late", 85, -40, company="南江路通交通设施有限公司", project="南江区交通标志标线工程",
              amount="210万元", years="一年"),
        ),
    ),
    Case(
        title="{company}投标保证金{months}个月未退还",
        description=(
            "政协委员转来企业诉求：{company}参加{project}投标未中标，投标保证金{amount}至今{months}个月未退还"
            "。"
        ),
        report="经查系交易中心退还流程卡在招标人确认环节，已全部退还，并推行保证金到期自动退还。",
        category=C.BUSINESS_ENVIRONMENT, source=S.SUPERVISION,
        initiator="jz-zx", lead="development",
        variants=(
            v(CITY, "closed", 30, -10, company="江州建工集团", project="市图书馆新馆项目", amount="80万元",
              months="八"),
            v(CITY, "signed", 8, 7, company="临江县永安建筑公司", project="市第三水厂扩建项目",
              amount="50万元", months="五"),
        ),
    ),
    Case(
        title="{district}一家{kind}一个月内被检查{times}次",
        description=(
            "人大代表反映：{district}{company}一个月内先后接待了{times}批次检查，{detail}，企业正常经营受到影"
            "响。"
        ),
        report="已推行“综合查一次”，整合同类检查事项，对重复检查的情况进行通报，企业表示认可。",
        category=C.BUSINESS_ENVIRONMENT, source=S.SUPERVISION,
        initiator="jz-rd", lead="city:market-regulation",
        variants=(
            v(DH, "closed", 45, -12, kind="食品企业", company="某食品加工企业", times="9",
              detail="检查内容大同小异"),
            v(NJ, "signed", 10, 4, kind="物流企业", company="某冷链物流企业", times="7",
              detail="多次要求提供同样的材料"),
            v(LJ, "reported", 25, -2, kind="农产品加工企业", company="某农产品加工企业", times="6",
              detail="有的检查组没有出示检查计划"),
        ),
    ),
    Case(
        title="{area}征收补偿款发放不透明",
        description=(
            "来信反映：{area}征收项目中，{detail}，补偿标准和发放名单从未公示，群众怀疑有人从中截留。"
        ),
        report=(
            "已对{area}补偿款发放情况逐户复核，补发少发的补偿款并公示全部补偿名单和标准，截留问题线索已移送区"
            "纪委监委。"
        ),
        category=C.CONDUCT, source=S.LETTERS,
        initiator="jz-donghu-jw", lead="housing",
        variants=(
            v(DH, "closed", 60, -25, area="东湖区龙泉片区", detail="同一排房子的补偿标准相差一倍"),
            v(DH, "signed", 12, 2, area="东湖区东亭村", detail="部分农户的附属物补偿没有到账"),
            v(DH, "partly", 28, 5, area="东湖区水果湖三村", detail="过渡费发放时间与协议不一致"),
        ),
    ),
]

# -- and a few more in the same spirit ----------------------------------------------------------
CASES += [
    Case(
        title="{road}地铁施工路段路面塌陷",
        description=(
            "媒体报道：{road}地铁施工路段出现{size}的塌陷坑，{detail}。"
            "附近居民称施工围挡外的路面此前已多次出现裂缝，反映后无人处理。"
        ),
        report=(
            "已回填塌陷区并完成路面修复，委托第三方对施工沿线开展地质雷达探测，发现的两处空洞已注浆处理，施工"
            "单位被约谈并记不良行为。"
        ),
        co_report="塌陷期间已实施交通管制和绕行引导，路面恢复后已解除管制。",
        category=C.SAFETY, source=S.MEDIA, priority=P.CRITICAL,
        initiator="jz-rmt", lead="jz-ctjt", co=("traffic-police",),
        variants=(
            v(CITY, "closed", 40, -12, road="江州大道与中山路交叉口", size="约6平方米",
              detail="一辆出租车前轮陷入坑中"),
            v(DH, "reported", 15, 2, road="东湖区学府路公交站旁", size="约3平方米",
              detail="塌陷点距公交站台不到五米"),
            v(NJ, "signed", 3, 3, road="南江区港城大道辅道", size="约2平方米", detail="地下自来水管被拉裂"),
            v(XS, "late", 60, -20, road="西山大道西环路口", size="约8平方米", detail="塌陷发生在早高峰"),
        ),
    ),
    Case(
        title="{village}消防通道被违章搭建和车辆长期占用",
        description=(
            "专项检查发现：{village}{detail}，消防车无法通行。社区多次张贴通知，但占用情况没有改变。"
        ),
        report="已拆除{village}消防通道上的违章搭建，施划消防通道标线并设置隔离桩，建立网格员每日巡查制度。",
        category=C.SAFETY, source=S.INSPECTION,
        initiator="jz-jw", lead="urban-management", copy_later=("jz-dcs",),
        variants=(
            v(DH, "closed", 35, -10, village="东湖区龙泉街道城中村",
              detail="主巷道两侧违章搭建的棚屋有二十多处"),
            v(NJ, "signed", 9, 4, village="南江区港湾街道渔村片区",
              detail="唯一的消防通道被改成了收费停车场"),
            v(DH, "withdrawn", 20, 6, village="东湖区东亭村", detail="通道入口被水泥墩封死"),
            v(NJ, "reopened", 60, -28, village="南江区船厂新村", detail="通道上堆满废品收购站的杂物"),
        ),
    ),
    Case(
        title="{estate}公租房被违规转租转借",
        description=(
            "审计将公租房保障对象与不动产、车辆、工商登记数据比对发现：{estate}有{units}套公租房"
            "被承租人转租转借或长期闲置，{detail}。"
        ),
        report=(
            "已逐户入户核查，收回违规转租转借和长期闲置的{units}套公租房，重新配租给轮候家庭，对违规承租人记"
            "入诚信档案。"
        ),
        category=C.WELFARE, source=S.AUDIT,
        initiator="jz-sjj", lead="housing",
        variants=(
            v(DH, "closed", 65, -25, estate="东湖区阳光家园公租房小区", units="27",
              detail="部分房屋被改成了日租房"),
            v(XS, "signed", 13, 5, estate="西山区安居苑公租房小区", units="15",
              detail="有承租人名下已有两套商品房"),
            v(DH, "withdrawn", 30, 8, estate="东湖区东亭公租房小区", units="9",
              detail="有承租人已在外地工作多年"),
            v(XS, "late", 75, -22, estate="西山区凤鸣公租房小区", units="21", detail="有房屋被用作仓库"),
        ),
    ),
]
