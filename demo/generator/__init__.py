"""Realistic, deterministic rows for every linked system of the registry, with planted patterns.

``rows(code, seed=…, count=…)`` yields ``count`` rows of one system's export: dicts keyed by the
columns of its ``SystemSpec`` (``search.ingest.registry``), exactly what its field mapping reads. The
same seed and count give the same rows, byte for byte; rows stream in constant memory, in
date order like a real export, at well over 50,000 a second. ``write_system()`` writes them as
CSV (UTF-8, a header row) or JSONL (one object a line); ``manage.py generate_records`` writes
every system.

The people, companies and places are those of the demo city 江州市 (``demo.city``): Chinese
names, companies ending in 有限公司 and sole proprietorships, 18-character unified social credit
codes and resident ID numbers with correct check characters, mobile numbers, addresses in its
five districts, dates from 2020 to late 2026 (companies and officials go back further), amounts
in yuan. External ids are unique in a file at any count; the people a row is about (the dead,
officials) and the companies of the register stay distinct up to about ten million rows a system
(``Subspace.size``), past that they recur. A person is known by ID number: the same number
always carries the same name, phone and address, in every system. The rows of all systems
generated with one seed and one count belong to one world: a bidder is a company of the market
register, a payment goes to a company that exists, and the planted patterns below run across
systems.

Planted patterns
----------------
``planted_facts(seed, count)`` returns what was planted (``PlantedFacts``); there are
``cases(count)`` cases of each pattern: 3, and one more for every quarter million rows a system
(at most 60). Every planted row is present when each system has at least ``MIN_COUNT`` rows.
Nothing in the ordinary rows imitates them: ordinary people, legal representatives, officials'
families and the deceased are drawn from separate ranges of ID numbers, so the keys below find
the planted cases and nothing else.

1. **One legal representative behind several bidders of one tender** (围标串标).
   public-resource-trading: group the rows of a tender by 项目编号 and 法定代表人身份证号; a
   group with two or more different 投标人统一社会信用代码 is a case (two or three companies, their
   quotes within a few per cent, one of them winning). market-entities has each of those
   companies, registered shortly before the tender, with the same 法定代表人身份证号.
2. **Welfare paid after a death registration** (冒领). death-registrations gives 身份证号 and
   死亡日期; social-assistance rows with that 身份证号 go on with 发放日期 after the death for
   months; every second case also draws a pension (pension-payments: 身份证号, 发放日期) after
   it, every third case has medical-insurance settlements (参保人身份证号, 结算时间) after it.
3. **An official's relative's company winning in the official's department** (利益输送).
   public-officials gives 工作单位 and 配偶身份证号 or 子女身份证号; market-entities has a company
   whose 法定代表人身份证号 is that relative's; public-resource-trading has that company
   (投标人统一社会信用代码) winning (是否中标 是) a tender whose 招标人 is the official's
   工作单位. public-works (施工单位统一社会信用代码, 建设单位) and treasury-payments
   (收款人统一社会信用代码, 预算单位) show the project and the money that followed.
4. **The same 12345 complaint reopened again and again** (重复投诉). hotline-12345: five to nine
   tickets with the same 来电号码 and 问题地址 over months, each later one marked 是否重复件 是 and
   pointing at the first by 关联工单号, every one rated 不满意. Ordinary tickets are repeated at
   most once.

Near misses
-----------
Beside the patterns, ``near_misses`` plants rows a careless model would take for a case and the
seeded warning models (search/detection/seeds) must not: at least one for each scenario of those
models (paid on the day of the death, a namesake, a relative's company that loses or wins in
another unit, a complaint reopened below the thresholds, four callers where five count, a first
bid on the 91st day, a penalty 366 days before a win, split contracts one below the band, a huge
payment of a payer with too few payments). ``PlantedFacts.near_misses`` lists them with the
subjects no warning may have. They draw on a random stream of their own, so the planted cases
stay what they were; their rows take places among the ordinary ones.

Bad rows
--------
With ``bad_rate`` (0.01 is one row in a hundred) ordinary rows are spoiled for testing the
quarantine of ingestion: a required column left out, an unparseable date in the column the
mapping reads as ``occurred_at``, or an amount that is not one. Planted rows are never spoiled,
and the good rows do not change with the rate.

The modules
-----------
``basics`` (period, calendar, amounts, hashing), ``people`` (ID numbers, names, companies),
``world`` (the population every system draws from, and a row builder's context),
``residents`` and ``businesses`` (each system's rows), ``planted`` (the patterns and the
``World`` that plants them), ``exports`` (a system's rows in order, spoiled rows, the files),
``words`` (the vocabulary).
"""

from .basics import END, START, day_of
from .exports import FORMATS, planted_facts, rows, write_system
from .people import DISTRICT_NAMES, Company, Person, credit_code
from .planted import MIN_COUNT, PlantedFacts, World, cases
from .world import Context, Population

__all__ = [
    "END", "FORMATS", "MIN_COUNT", "START", "DISTRICT_NAMES", "Company", "Context", "Person", "PlantedFacts",
    "Population", "World", "cases", "credit_code", "day_of", "planted_facts", "rows", "write_system",
]
