"""Short names of the linked systems and the query language's synonyms (search.investigate.interpret).

The seeded synonym groups are the abbreviations investigators type most; administrators change
them in the admin. The short names fill in the seeded systems that have none yet (a copy of
search.ingest.registry.SHORT_NAMES as it stood: a migration does not follow later code)."""

from django.db import migrations, models

SYNONYMS = [
    "低保、最低生活保障",
    "医保、医疗保障、医疗保险",
    "公积金、住房公积金",
    "社保、社会保险",
    "城管、城市管理",
    "发改、发展和改革、发展改革",
    "住建、住房和城乡建设",
    "人社、人力资源和社会保障",
    "市监、市场监管、市场监督管理",
    "卫健、卫生健康",
    "交警、公安交通管理",
    "纪委、纪律检查委员会",
    "招投标、招标投标",
    "国资、国有资产",
]

SHORT_NAMES = {
    "hotline-12345": "12345热线", "city-management": "城管", "public-resource-trading": "招投标",
    "government-procurement": "政采", "market-entities": "工商登记", "medical-insurance": "医保",
    "social-assistance": "低保", "public-officials": "公职人员", "real-estate": "不动产",
    "treasury-payments": "国库支付", "public-works": "公共工程", "land-transfers": "土地出让",
    "vat-invoices": "发票", "social-insurance": "社保", "pension-payments": "养老金",
    "administrative-penalties": "处罚", "administrative-licences": "许可", "traffic-violations": "交通违法",
    "farm-subsidies": "一卡通", "affordable-housing": "保障房", "transport-subsidies": "客运补贴",
    "workplace-safety": "安全生产", "pollution-monitoring": "污染源监控", "audit-findings": "审计",
    "state-asset-leases": "国资出租", "student-aid": "学生资助",
}


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SourceSystem = apps.get_model("search", "SourceSystem")
    for words in SYNONYMS:
        SynonymGroup.objects.get_or_create(words=words)
    for code, short_name in SHORT_NAMES.items():
        SourceSystem.objects.filter(code=code, short_name="").update(short_name=short_name)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_masking_restricted_grants")]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("words", models.CharField(
                    help_text="Two to eight words or phrases that mean the same, separated by 、 or commas, "
                              "e.g. 低保、最低生活保障.",
                    max_length=300, unique=True, verbose_name="words",
                )),
            ],
            options={"verbose_name": "synonym group", "verbose_name_plural": "synonym groups",
                     "ordering": ["words"]},
        ),
        migrations.AddField(
            model_name="sourcesystem",
            name="short_name",
            field=models.CharField(blank=True, max_length=40, verbose_name="short name"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
