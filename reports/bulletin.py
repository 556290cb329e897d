"""季度通报: the quarterly bulletin on administrative litigation, as DOCX (and PDF from it).

``bulletin_data`` is pure (cases and overdue rows in, a plain dict out); ``render_bulletin`` lays it out;
``make_bulletin`` is the service function the CLI and the API call.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from core.normalize import normalize_case_no
from core.spreadsheet import zh_label
from core.taxonomy import Field, LossCause
from reports.caseindex import indexed_cases, indexed_reconsiderations
from reports.cases import Case, Reconsideration
from reports.charts import bar_chart, trend_chart
from reports.officialdoc import Fonts, OfficialDocument, RenderError, docx_to_pdf
from reports.stats import (
    DATE_RULE_ZH,
    RECONSIDERATION_RULE_ZH,
    SUIT_RULE_ZH,
    GroupBy,
    LossRateDefinition,
    Period,
    RankingRules,
    compute,
    parse_period,
    restrict,
    tally,
)


@dataclass
class BulletinResult:
    path: Path
    period: str
    cases: int
    losses: int


class EmptyPeriod(RenderError):
    """The period holds no case at all: no document is written unless asked for anyway."""


def _pct(v: float | None) -> str:
    """A rate, or 无 when there is nothing to divide ("—" prints like the numeral 一)."""
    return "无" if v is None else f"{v * 100:.1f}%"


def reporting_sentence(record: dict | None) -> str:
    """The 报备 section when nothing is late. "均按期报备" only when reports were recorded; with none it says
    暂无报备记录 (no register of suits kept, or nothing due yet) — never a claim the records do not hold."""
    record = record or {}
    still_open = record.get("open", 0)
    later = f"另有{still_open}项报备尚未到期。" if still_open else ""
    if not record.get("reported"):
        return "暂无报备记录。" + later
    return f"本期已报备{record['reported']}项，均按期报备。" + later


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "上期无可比数据"
    d = (now - before) * 100
    if abs(d) < 0.05:
        return "与上期持平"
    return f"较上期{'上升' if d > 0 else '下降'}{abs(d):.1f}个百分点"


def bulletin_data(
    cases: list[Case],
    period: Period,
    d: LossRateDefinition,
    overdue_rows: list[dict],
    *,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    reconsiderations: list[Reconsideration] | None = None,
    rules: RankingRules | None = None,
    benchmarks: list[dict] | None = None,
) -> dict:
    """Everything the bulletin prints, as plain data."""
    rules = rules or RankingRules()
    scoped = restrict(cases, agency_ids=agency_ids, ours_only=ours_only)
    by_agency = compute(
        scoped, GroupBy.agency, period, d, reconsiderations=reconsiderations or [], rules=rules
    )
    by_cause = compute(scoped, GroupBy.cause, period, d, rules=rules)
    by_field = compute(scoped, GroupBy.field, period, d, rules=rules)
    trend_periods = _trend_periods(period)
    trend = []
    for p in trend_periods:
        f = tally(scoped, [GroupBy.field], p, d).totals
        trend.append(
            {"period": p.code, "label": p.zh.replace("年第", "年\n第"), "lost": f.lost, "rate": f.loss_rate}
        )
    losses = [c for c in scoped if c.decided and period.contains(c.date) and d.is_loss(c)]
    losses.sort(key=lambda c: (c.date or dt.date.min, c.key))
    return {
        "period": period.code,
        "period_zh": period.zh,
        "definition": d.code,
        "definition_zh": d.zh,
        "date_rule_zh": DATE_RULE_ZH,
        "suit_rule_zh": SUIT_RULE_ZH,
        "ranking_rule_zh": rules.zh,
        "reconsideration_rule_zh": RECONSIDERATION_RULE_ZH,
        "flag_labels": rules.labels,
        "flagged": period.kind == "year",
        "undated": by_agency.undated.to_json(),
        "benchmarks": benchmark_lines(by_agency.totals.loss_rate, benchmarks or []),
        "totals": by_agency.totals.to_json(),
        "previous_totals": by_agency.previous_totals.to_json() if by_agency.previous_totals else None,
        "previous_period_zh": by_agency.previous_period.zh if by_agency.previous_period else None,
        "ranking": [r.to_json() for r in by_agency.rows],
        "key_targets": [
            {"kind": k.kind, "names": k.names, "losses": k.losses} for k in by_agency.key_targets
        ],
        "causes": [
            {"cause": r.key, "label": r.label, "lost": r.figures.lost, "share": r.share_of_losses}
            for r in by_cause.rows
        ],
        "fields": [
            {"field": r.key, "label": r.label, "cases": r.figures.cases, "lost": r.figures.lost}
            for r in by_field.rows
        ],
        "trend": trend,
        "losses": [
            {
                "case_no": normalize_case_no(c.case_nos[-1]) if c.case_nos else c.key,
                "date": c.date.isoformat() if c.date else None,
                "agencies": [a.name for a in c.agencies],
                "court": c.court or "",
                "field": zh_label(Field, c.field) if c.field else "",
                "causes": [zh_label(LossCause, x) for x in c.loss_causes]
                or (["自行纠正后撤诉"] if c.withdrawn_after_correction else ["未标注"]),
            }
            for c in losses
        ],
        "overdue": overdue_rows,
    }


def _trend_periods(period: Period) -> list[Period]:
    """The last six periods up to this one (a range: its quarters, at most the last twelve)."""
    if period.kind == "range":
        from reports.stats import period_of

        end = min(period.end, dt.date.today().replace(day=1) + dt.timedelta(days=31)) - dt.timedelta(days=1)
        p = period_of(end, "quarter")
        out = [p]
        while len(out) < 12 and (q := out[0].previous()) is not None and q.start >= period.start:
            out.insert(0, q)
        return out
    out = [period]
    while len(out) < 6 and (q := out[0].previous()) is not None:
        out.insert(0, q)
    return out


LEVEL_ZH = {"province": "全省", "city": "全市", "county": "全县"}


def with_confirmed(proposed: list[dict], ranking: list[dict], chosen: dict[str, dict]) -> list[dict]:
    """The key targets the bulletin prints: a body bureau staff confirmed for the period (on the dashboard)
    replaces the proposal of its kind; its losses are read from the period's ranking (None when it has no
    row there)."""
    lost = {r["label"]: r.get("lost") for r in ranking}
    out = [k for k in proposed if k["kind"] not in chosen]
    for kind, c in chosen.items():
        out.append({"kind": kind, "names": [c["name"]], "losses": lost.get(c["name"]), "confirmed": True})
    return sorted(out, key=lambda k: k["kind"] != "township")


def benchmark_lines(rate: float | None, rows: list[dict]) -> list[dict]:
    """对标: the county's loss rate beside each operator-supplied rate (province, city), with the gap."""
    out = []
    for b in rows:
        gap = None if rate is None or b.get("rate") is None else round(rate - b["rate"], 4)
        out.append({**b, "level_zh": LEVEL_ZH.get(b.get("level", ""), b.get("level", "")), "gap": gap})
    return out


def benchmark_sentence(rate: float | None, lines: list[dict]) -> str:
    parts = []
    for b in lines:
        if b.get("rate") is None:
            continue
        where = f"{b['level_zh']}（{b['region']}，{b['year']}年）" if b.get("region") else b["level_zh"]
        if b["gap"] is None:
            parts.append(f"{where}败诉率{_pct(b['rate'])}")
        else:
            rel = "高于" if b["gap"] > 0.0005 else ("低于" if b["gap"] < -0.0005 else "持平于")
            gap = f"{abs(b['gap']) * 100:.1f}个百分点" if rel != "持平于" else ""
            parts.append(f"{where}败诉率{_pct(b['rate'])}，本县{rel}{where}{gap}")
    if not parts:
        return ""
    return f"对标：本县败诉率{_pct(rate)}；" + "；".join(parts) + "。"


def render_bulletin(
    data: dict,
    fonts: Fonts,
    issuing_body: str,
    path: Path,
    *,
    number: str | None = None,
    date: dt.date | None = None,
    title: str | None = None,
) -> None:
    date = date or dt.date.today()
    # whose figures: the county's, or (an agency user's bulletin) one agency's — never titled 全县 then
    scope_zh = data.get("scope_zh") or "全县行政机关"
    county = scope_zh == "全县行政机关"
    doc = OfficialDocument(fonts)
    doc.red_header(issuing_body, number)
    doc.title(title or f"关于{data['period_zh']}{scope_zh}\n行政诉讼案件情况的通报")
    doc.para("各乡镇人民政府、街道办事处，县政府各部门：" if county else "本单位各内设机构：", indent=False)
    doc.para(
        f"为深入推进法治政府建设，发挥行政诉讼案件以案促改作用，现将{data['period_zh']}{scope_zh}"
        "行政诉讼案件发案、败诉及负责人出庭应诉情况通报如下。"
    )
    t, pt = data["totals"], data["previous_totals"]
    doc.heading("一、总体情况")
    prev = f"（{data['previous_period_zh']}发案{pt['cases']}件、败诉{pt['lost']}件）" if pt else ""
    doc.para(
        f"{data['period_zh']}，{scope_zh}共发生行政诉讼案件{t['cases']}件{prev}，审结{t['concluded']}件，"
        f"其中胜诉{t['won']}件、败诉{t['lost']}件、驳回起诉{t['dismissed']}件、撤诉{t['withdrawn']}件，"
        + (
            f"败诉率{_pct(t['loss_rate'])}，{_change(t['loss_rate'], pt['loss_rate'] if pt else None)}。"
            if t["loss_rate"] is not None
            else "败诉率无法计算（本期没有计入败诉率的审结案件）。"
        )
        + (
            f"行政机关负责人出庭应诉率{_pct(t['head_rate'])}（出庭情况可查明的{t['head_known']}件中，负责人出庭"
            f"{t['head_appeared']}件）。"
            if t["head_rate"] is not None
            else "本期无可查明负责人出庭情况的案件。"
        )
        + (f"行政复议机关纠错{t['reconsideration_corrections']}件（不计入发案量和败诉率）。")
    )
    u = data.get("undated") or {}
    if u.get("cases") or u.get("concluded"):
        doc.para(
            f"另有日期不详案件{u['cases']}件（发案日期不详，无法确定是否属于本期），其中审结日期不详{u['concluded']}件，"
            "未计入本期数字，列为「日期不详」。"
        )
    if line := benchmark_sentence(t["loss_rate"], data.get("benchmarks") or []):
        doc.para(line)
    doc.para(
        f"统计口径：{data['definition_zh']}。日期规则：{data.get('date_rule_zh', DATE_RULE_ZH)}。"
        f"计数规则：{data.get('suit_rule_zh', SUIT_RULE_ZH)}。"
        f"排名规则：{data.get('ranking_rule_zh', '')}。{data.get('reconsideration_rule_zh', '')}。",
        bold_lead="说明：",
    )
    doc.heading("二、败诉率排名" if county else "二、案件统计")
    # the top-N marks are given only in a yearly table: a quarter's would be an empty column
    flags = data.get("flag_labels", []) if data.get("flagged") else []
    rows = [
        [
            r["rank"] or "未排名",
            r["label"],
            r["cases"],
            r["concluded"],
            r["lost"],
            _pct(r["loss_rate"]),
            r.get("lost_as_reconsideration_body", 0),
            r.get("reconsideration_corrections", 0),
            *["★" if r.get("flags", {}).get(f) else "" for f in flags],
        ]
        for r in data["ranking"]
    ]
    if u.get("cases") or u.get("concluded"):
        rows.append(
            ["", "日期不详", u["cases"], u["concluded"], u["lost"], _pct(u.get("loss_rate")), "", ""]
            + [""] * len(flags)
        )
    if rows:
        doc.table(
            ["排名", "单位", "发案", "审结", "败诉", "败诉率", "复议机关败诉", "复议纠错", *flags],
            rows,
            [10.0, 42, 11, 11, 11, 17, 16, 14] + [14.0] * len(flags),
        )
    else:
        doc.para("本期无案件。")
    for k in data["key_targets"] if county else []:
        kind = "乡镇（街道）" if k["kind"] == "township" else "县级部门"
        names = "、".join(k["names"])
        if k.get("confirmed"):
            lost = f"（本期败诉{k['losses']}件）" if k["losses"] is not None else ""
            doc.para(f"经{issuing_body}确认，{names}{lost}列为本期{kind}重点监督对象。")
        else:
            doc.para(f"本期败诉案件最多的{kind}为{names}（败诉{k['losses']}件），列为重点监督对象。")
    doc.heading("三、败诉原因分析")
    if data["causes"]:
        doc.table(
            ["败诉原因", "败诉案件数", "占败诉案件比例"],
            [[c["label"], c["lost"], _pct(c["share"])] for c in data["causes"]],
            [60, 40, 50],
        )
    else:
        doc.para("本期无败诉案件。")
    with tempfile.TemporaryDirectory(prefix="anjian-charts-") as tmp:
        tmpd = Path(tmp)
        tr = data["trend"]
        doc.image(
            trend_chart(
                [x["label"] for x in tr],
                [x["lost"] for x in tr],
                [x["rate"] for x in tr],
                tmpd / "trend.png",
                "败诉案件数与败诉率走势",
            )
        )
        if data["fields"]:
            doc.image(
                bar_chart(
                    [f["label"] for f in data["fields"]],
                    [f["cases"] for f in data["fields"]],
                    tmpd / "fields.png",
                    "各执法领域发案数",
                ),
                width_mm=140,
            )
        if data["causes"]:
            doc.image(
                bar_chart(
                    [c["label"] for c in data["causes"]],
                    [c["lost"] for c in data["causes"]],
                    tmpd / "causes.png",
                    "败诉原因分布",
                ),
                width_mm=140,
            )
        doc.heading("四、败诉案件清单")
        if data["losses"]:
            doc.table(
                ["序号", "案号", "被诉单位", "审理法院", "败诉原因"],
                [
                    [i, x["case_no"], "、".join(x["agencies"]), x["court"], "、".join(x["causes"])]
                    for i, x in enumerate(data["losses"], start=1)
                ],
                [12, 40, 45, 40, 33],
            )
        else:
            doc.para("本期无败诉案件。")
        doc.heading("五、应诉及文书报备逾期情况")
        if data["overdue"]:
            doc.table(
                ["单位", "案号", "事项", "应报日期", "实际报送", "逾期（工作日）"],
                [
                    [o["agency"], o["case_no"], o["what"], o["due"], o["reported"] or "未报送", o["late_by"]]
                    for o in data["overdue"]
                ],
                [40, 38, 28, 24, 24, 16],
            )
        else:
            doc.para(reporting_sentence(data.get("reporting")))
        doc.heading("六、工作要求")
        for text in (
            "（一）各单位要高度重视行政应诉工作，落实行政机关负责人出庭应诉制度，不得消极应诉。",
            "（二）败诉单位要在收到裁判文书后认真分析败诉原因，形成书面分析和整改措施报县司法局。",
            "（三）收到起诉状副本后3个工作日内、收到裁判文书后5个工作日内向县司法局报备，逾期的予以通报。",
        ):
            doc.para(text)
        doc.signature(issuing_body, f"{date.year}年{date.month}月{date.day}日")
        doc.save(path)


def make_bulletin(
    session: Session,
    settings: object,
    quarter: str | None,
    out: Path,
    *,
    period: str | None = None,
    since: str | None = None,
    definition: str | None = None,
    agency_ids: list[int] | None = None,
    ours_only: bool = False,
    number: str | None = None,
    today: dt.date | None = None,
    title: str | None = None,
    issuing_body: str | None = None,
    scope_name: str | None = None,
    refuse_empty: bool = False,
) -> BulletinResult:
    """Build the bulletin of one quarter (``quarter``), or of any period or range (``period``/``since``) to
    ``out`` (.docx, or .pdf via LibreOffice). ``title``, ``issuing_body`` and ``number`` (文号) override the
    defaults (the settings' issuing body); ``scope_name``: whose figures these are when not the county's
    (an agency's bulletin is titled with its name). ``refuse_empty``: raise :class:`EmptyPeriod` instead
    of writing a bulletin of a period without any case."""
    from supervision.key_targets import confirmed
    from supervision.obligations import reporting_record
    from supervision.suits import GoLive
    from supervision.workdays import WorkCalendar

    if quarter and (period or since):
        raise RenderError("--quarter 与 --period/--since 只能选一个")
    p = Period.parse(quarter) if quarter else parse_period(period, since)
    if p.kind not in ("quarter", "year", "month", "range"):
        raise RenderError("通报需要一个期间，例如 --quarter 2024Q2 或 --period 2022..2024")
    today = today or dt.date.today()
    d = LossRateDefinition.parse(definition)
    cal = WorkCalendar.load(
        [getattr(settings, "holidays_file", None), Path(getattr(settings, "data_dir", ".")) / "holidays.csv"]
    )
    record = reporting_record(
        session,
        cal,
        today,
        GoLive(getattr(settings, "supervision_start", None)),
        agency_ids=agency_ids,
        since=p.start,
        until=min(p.end, dt.date(9999, 1, 1)),
    )
    from reports.benchmarks import benchmarks_for

    data = bulletin_data(
        indexed_cases(session),
        p,
        d,
        record["late"],
        agency_ids=agency_ids,
        ours_only=ours_only,
        reconsiderations=indexed_reconsiderations(session),
        rules=RankingRules.from_settings(settings),
        benchmarks=benchmarks_for(session, p),
    )
    data["key_targets"] = with_confirmed(data["key_targets"], data["ranking"], confirmed(session, p.code))
    data["reports_due"] = record["due"]
    data["reporting"] = record
    if scope_name:
        data["scope_zh"] = scope_name
    u = data.get("undated") or {}
    has_content = data["totals"]["cases"] or data["totals"]["concluded"] or u.get("cases") or record["due"]
    if refuse_empty and not has_content:  # a period with reports due (or late) is not empty: 五 lists them
        raise EmptyPeriod(
            f"{p.zh}没有任何行政诉讼案件（发案、审结均为0），未生成通报：请核对期间或先上传裁判文书"
        )
    fonts = Fonts.from_settings(settings)
    issuing = (issuing_body or "").strip() or getattr(settings, "issuing_body", "××县司法局")
    number = number if number is not None else f"{p.zh}通报"
    _render_to(
        out,
        lambda path: render_bulletin(
            data, fonts, issuing, path, number=number or None, date=today, title=title or None
        ),
        fonts,
    )
    return BulletinResult(out, p.code, data["totals"]["cases"], data["totals"]["lost"])


def _render_to(out: Path, render, fonts: Fonts | None = None) -> None:  # type: ignore[no-untyped-def]
    suffix = out.suffix.lower()
    if suffix == ".docx":
        render(out)
    elif suffix == ".pdf":
        with tempfile.TemporaryDirectory(prefix="anjian-doc-") as tmp:
            docx = Path(tmp) / (out.stem + ".docx")
            render(docx)
            docx_to_pdf(docx, out, fonts=fonts)
    else:
        raise RenderError(f"输出文件须为 .docx 或 .pdf：{out.name}")
