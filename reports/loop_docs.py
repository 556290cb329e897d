"""The documents the 以案促改 plan names (issue 17), from the bulletin's document engine (GB/T 9704):

- 《工作提醒函》 to one unit: its pending suits, losses, late reports, recurrences, a missing 以案促改 meeting
  and what it must do by when;
- the annual public disclosure per department: 应诉案件数, 败诉数, 败诉率, 复议纠错数 (the six correction
  outcomes of TAXONOMY), 责任追究数 — no natural person named (ready for the government website), DOCX/XLSX;
- the quarterly circular of fault-accountability cases (执法过错责任追究).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, Judgment, Suit, SuitAgency
from core.spreadsheet import Table, write_table
from core.taxonomy import RECONSIDERATION_CORRECTIONS
from registry.agencies import agency_names
from reports.officialdoc import Fonts, OfficialDocument, RenderError, docx_to_pdf, soffice_binary
from supervision import meetings
from supervision.obligations import obligations
from supervision.suits import GoLive
from supervision.workdays import WorkCalendar

CORRECTION_CODES = {o.value for o in RECONSIDERATION_CORRECTIONS}


def _save(doc: OfficialDocument, out: Path, fonts: Fonts) -> None:
    suffix = out.suffix.lower()
    if suffix == ".docx":
        doc.save(out)
        return
    if suffix != ".pdf":
        raise RenderError(f"输出文件须为 .docx 或 .pdf：{out.name}")
    if soffice_binary() is None:
        raise RenderError(
            "生成 PDF 需要 LibreOffice（apt-get install libreoffice-writer-nogui）；可先导出 .docx"
        )
    with tempfile.TemporaryDirectory(prefix="anjian-loop-") as tmp:
        docx = Path(tmp) / "doc.docx"
        doc.save(docx)
        docx_to_pdf(docx, out, fonts=fonts)


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- 工作提醒函


@dataclass
class LetterResult:
    path: Path
    agency: str
    items: int


def make_letter(
    s: Session,
    settings: object,
    agency_id: int,
    out: Path,
    *,
    cal: WorkCalendar,
    today: dt.date | None = None,
    reply_days: int = 10,
) -> LetterResult:
    """《工作提醒函》 to one unit. Raises RenderError when the unit has nothing to be reminded of."""
    today = today or dt.date.today()
    agency = s.get(Agency, agency_id)
    if agency is None:
        raise RenderError(f"单位名录中没有编号为 {agency_id} 的单位")
    go_live = GoLive(getattr(settings, "supervision_start", None))
    obs = obligations(s, cal, today, go_live, agency_ids=[agency_id])
    late = [o for o in obs if o.state == "late"]
    due_soon = [o for o in obs if o.state == "open"]
    pending = s.scalars(
        select(Suit)
        .join(SuitAgency, SuitAgency.suit_id == Suit.id)
        .where(SuitAgency.agency_id == agency_id, Suit.status == "pending")
        .order_by(Suit.id)
    ).all()
    year = today.year
    lost = s.scalars(
        select(Suit)
        .join(SuitAgency, SuitAgency.suit_id == Suit.id)
        .where(SuitAgency.agency_id == agency_id, Suit.outcome == "agency_lost")
        .order_by(Suit.decided_on, Suit.id)
    ).all()
    lost_this_year = [x for x in lost if x.decided_on and x.decided_on.year == year]
    back = meetings.recurrences(s, [agency_id])
    due = meetings.due_date(year, getattr(settings, "lesson_meeting_due", "12-31"))
    no_meeting = any(m["agency_id"] == agency_id for m in meetings.missing(s, year))
    items = len(late) + len(due_soon) + len(back) + (1 if no_meeting else 0) + len(lost_this_year)
    if not items and not pending:
        raise RenderError(f"{agency.name}目前没有需要提醒的事项，未生成提醒函")
    fonts = Fonts.from_settings(settings)
    issuing = getattr(settings, "issuing_body", "××县司法局")
    doc = OfficialDocument(fonts)
    doc.red_header(issuing, None)
    doc.title("工作提醒函")
    doc.para(f"{agency.name}：", indent=False)
    doc.para(
        f"根据本县行政应诉工作和以案促改工作要求，经核查应诉案件登记簿，截至{_cn_date(today)}，"
        f"你单位有以下事项需要办理，现予提醒："
    )
    k = 0
    cn = "一二三四五六七八九十"
    if late:
        doc.heading(f"{cn[k]}、逾期未报送事项（{len(late)} 项）")
        k += 1
        doc.table(
            ["案号", "事项", "应报送日期", "已逾期（工作日）"],
            [[o.case_no or f"登记编号{o.suit_id}", o.what_zh, o.due.isoformat(), o.late_by] for o in late],
        )
    if due_soon:
        doc.heading(f"{cn[k]}、即将到期事项（{len(due_soon)} 项）")
        k += 1
        doc.table(
            ["案号", "事项", "应报送日期", "剩余工作日"],
            [
                [o.case_no or f"登记编号{o.suit_id}", o.what_zh, o.due.isoformat(), o.days_left]
                for o in due_soon
            ],
        )
    if pending:
        doc.heading(f"{cn[k]}、在审案件（{len(pending)} 件）")
        k += 1
        doc.para(
            "请做好举证、答辩和负责人出庭应诉准备；可能败诉的案件请及时开展案件研判，能够纠正的主动纠正。"
        )
        doc.table(
            ["案号", "受理法院", "被诉行为"],
            [[x.case_no or f"登记编号{x.id}", x.court or "", x.sued_action or ""] for x in pending],
        )
    if lost_this_year:
        doc.heading(f"{cn[k]}、本年度败诉案件（{len(lost_this_year)} 件）")
        k += 1
        doc.table(
            ["案号", "裁判日期"],
            [
                [x.case_no or f"登记编号{x.id}", x.decided_on.isoformat() if x.decided_on else ""]
                for x in lost_this_year
            ],
        )
    if back:
        doc.heading(f"{cn[k]}、同类问题反弹（{len(back)} 件）")
        k += 1
        for r in back:
            doc.para(
                f"{r['case_no'] or '登记编号' + str(r['suit_id'])}与此前败诉的"
                f"{r['earlier_case_no'] or '登记编号' + str(r['earlier_suit_id'])}问题相同（{'、'.join(r['same'])}），"
                "整改未见实效，请对照原整改措施开展“回头看”。"
            )
    if no_meeting:
        doc.heading(f"{cn[k]}、以案促改")
        k += 1
        doc.para(
            f"你单位{year}年尚未开展以案促改，请于{_cn_date(due)}前以法院或复议案例开展一次，可邀请承办法官授课，并在系统中登记。"
        )
    reply = (
        cal.add_workdays(today, reply_days) if hasattr(cal, "add_workdays") else today + dt.timedelta(days=14)
    )
    doc.para(f"请于{_cn_date(reply)}前将办理情况书面报送{issuing}。", bold_lead="办理要求：")
    doc.signature(issuing, _cn_date(today))
    _save(doc, out, fonts)
    return LetterResult(out, agency.name, items)


# ---------------------------------------------------------------- annual disclosure


def disclosure_table(s: Session, year: int) -> Table:
    """Per supervised department: suits answered, lost, loss rate, reconsideration corrections,
    accountability cases in ``year``. Only units are named (no natural person)."""
    rows = []
    since, until = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    account = meetings.accountability(s, since, until)
    judgments = s.execute(
        select(Judgment.defendants, Judgment.outcome).where(
            Judgment.judgment_date >= since,
            Judgment.judgment_date < until,
            Judgment.outcome.in_(CORRECTION_CODES),
        )
    ).all()
    for a in s.scalars(select(Agency).where(Agency.ours.is_(True)).order_by(Agency.name)):
        suits = s.execute(
            select(Suit.id, Suit.outcome, Suit.decided_on, SuitAgency.papers_received, Suit.created_at)
            .join(SuitAgency, SuitAgency.suit_id == Suit.id)
            .where(SuitAgency.agency_id == a.id)
        ).all()
        answered = [
            x
            for x in suits
            if ((x.papers_received or x.created_at.date()) >= since)
            and ((x.papers_received or x.created_at.date()) < until)
        ]
        decided = [x for x in suits if x.decided_on and since <= x.decided_on < until]
        lost = [x for x in decided if x.outcome == "agency_lost"]
        names = set(agency_names(s, a.id))
        corrected = sum(1 for d, _ in judgments if names & set(d or []))
        held = sum(1 for c in account if c["agency_id"] == a.id)
        rate = f"{len(lost) / len(decided):.1%}" if decided else "—"
        rows.append([a.name, len(answered), len(decided), len(lost), rate, corrected, held])
    return Table(
        title=f"{year}年度各部门行政应诉、复议纠错和责任追究情况",
        columns=["单位", "应诉案件数", "审结数", "败诉数", "败诉率", "复议纠错数", "责任追究数"],
        rows=rows,
        note="应诉案件数按收到应诉材料日期计；败诉率＝本年度审结案件中行政机关败诉的比例；"
        "复议纠错数为本年度复议决定变更、撤销、部分撤销、确认违法、确认无效、责令履行的件数。",
    )


def make_disclosure(s: Session, settings: object, year: int, out: Path) -> Table:
    table = disclosure_table(s, year)
    suffix = out.suffix.lower()
    if suffix in (".xlsx", ".csv"):
        write_table(table, out)
        return table
    fonts = Fonts.from_settings(settings)
    doc = OfficialDocument(fonts)
    doc.title(table.title)
    doc.para(
        f"根据法治政府建设有关要求，现将本县各部门{year}年度行政诉讼败诉、行政复议纠错和执法过错责任追究情况公开如下："
    )
    doc.table(table.columns, table.rows)
    doc.para(table.note, bold_lead="说明：")
    doc.signature(getattr(settings, "issuing_body", "××县司法局"), _cn_date(dt.date.today()))
    _save(doc, out, fonts)
    return table


# ---------------------------------------------------------------- quarterly circular of accountability


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    q = quarter.strip().upper()
    try:
        year, n = int(q[:4]), int(q.split("Q")[1])
        if not 1 <= n <= 4:
            raise ValueError
    except (ValueError, IndexError) as exc:
        raise RenderError(f"季度“{quarter}”无效，应写成 2024Q2") from exc
    start = dt.date(year, 3 * n - 2, 1)
    end = dt.date(year + (n == 4), 1 if n == 4 else 3 * n + 1, 1)
    return start, end


def make_accountability_circular(s: Session, settings: object, quarter: str, out: Path) -> int:
    since, until = quarter_bounds(quarter)
    rows = meetings.accountability(s, since, until)
    fonts = Fonts.from_settings(settings)
    issuing = getattr(settings, "issuing_body", "××县司法局")
    doc = OfficialDocument(fonts)
    doc.red_header(issuing, None)
    doc.title(f"关于{quarter.upper()}执法过错责任追究情况的通报")
    if rows:
        doc.para(f"各部门报送的{quarter.upper()}执法过错责任追究案件共 {len(rows)} 件，现通报如下：")
        doc.table(
            ["单位", "案件", "认定的过错", "追究措施", "决定日期"],
            [[r["agency"], r["case_ref"], r["fault"], r["measure"], r["decided_on"]] for r in rows],
        )
        doc.para("各部门要对照上述案件查找本单位执法中的同类问题，举一反三，防止同类问题反弹。")
    else:
        doc.para(f"{quarter.upper()}各部门未报送执法过错责任追究案件。")
    doc.signature(issuing, _cn_date(dt.date.today()))
    _save(doc, out, fonts)
    return len(rows)
