"""Drill-down from the dashboard to 检索: the search query (in the query language of search.query) that opens
the documents behind a figure, keeping the dashboard's period and agency.

The dashboard counts suits (案件: first instance, appeal and retrial are one suit, in its decision in effect);
search counts documents. A period becomes the judgment-date filter: whole years as ``年份:2022..2024`` (the
judgment's year, else its case-number year, the same 推定 the statistics use for years), anything finer as
``日期:2024-04-01..2024-06-30``. So a 审结 or 败诉 figure and the search it opens count the same judgments
when each suit has one document in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.taxonomy import Outcome
from reports.cases import CONCLUDED
from reports.stats import Period

COUNTED_ZH = (
    "看板按案件计：同一案件的一审、二审、再审合为一件，按生效裁判的结果和日期计；检索按文书计。点击数字或图表"
    "打开检索时带上本期（按裁判日期）和所选单位；一个案件在库中有几份文书时，检索条数会多于看板数字；发案量按立案"
    "日期计，检索中没有立案日期筛选，故发案量不设链接"
)


def concluded_query() -> str:
    """Documents that conclude a suit (the 审结 outcomes: 败诉, 胜诉, 驳回起诉, 撤诉), leaving out enforcement
    reviews and reconsideration decisions, which the statistics do not count as suits."""
    return "(" + " OR ".join(f"结果:{o.zh}" for o in Outcome if o.value in CONCLUDED) + ")"


def period_query(p: Period) -> str:
    """The search filter of a period ('' for all time)."""
    if p.kind == "all":
        return ""
    if p.kind == "year":
        return f"年份:{p.year}"
    if p.kind == "range" and p.year_aligned and p.lo is not None:
        return f"年份:{p.lo.year}..{p.hi.year if p.hi else ''}"
    end = "" if p.end == dt.date.max else (p.end - dt.timedelta(days=1)).isoformat()
    return f"日期:{p.start.isoformat()}..{end}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', "").replace("“", "").replace("”", "").strip() + '"'


def agency_query(names: Iterable[str]) -> str:
    """被告 is one of the agency's names (full name and aliases)."""
    parts = [f"被告:{_quoted(n)}" for n in dict.fromkeys(n for n in names if n and n.strip())]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def search_url(query: str) -> str:
    from urllib.parse import urlencode

    return "/search?" + urlencode({"q": query})
