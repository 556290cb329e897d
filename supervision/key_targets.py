"""重点监督对象: the township and the county department the bureau names for a period. The dashboard proposes
them from the rankings (reports.stats.key_target_rule_zh); bureau staff confirm the proposal or choose another
body, and the choice is kept per period and kind with who and when (table key_targets, 0013_key_targets).

Service functions over a Session; the caller checks the role and writes the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Agency, KeyTargetChoice
from registry.agencies import AgencyKind

KINDS = {"township": "乡镇（街道）", "department": "县级部门"}


class KeyTargetError(Exception):
    """A choice that cannot be stored; the message is for the user (Chinese)."""


def fits(agency: Agency, kind: str) -> bool:
    """A body may be named for a kind when the registry marks it 本县 and of that kind (a department: of the
    county or of unknown level, the same rule as the 县级部门 ranking)."""
    if not agency.ours:
        return False
    if kind == "township":
        return agency.kind == AgencyKind.township.value
    return agency.kind == AgencyKind.department.value and agency.level in (None, "county")


def choices(s: Session, kind: str) -> list[dict[str, Any]]:
    """The registry bodies staff may name for a kind, by name."""
    rows = s.scalars(select(Agency).where(Agency.ours.is_(True)).order_by(Agency.name))
    return [{"id": a.id, "name": a.name} for a in rows if fits(a, kind)]


def _check(period: str, kind: str) -> None:
    if kind not in KINDS:
        raise KeyTargetError(f"重点监督对象只分乡镇（街道）和县级部门两类，没有「{kind}」")
    if not period or period == "all":
        raise KeyTargetError("请先选择统计期间（例如 2024 或 2024Q2），再确认该期间的重点监督对象")


def confirm(
    s: Session,
    *,
    period: str,
    kind: str,
    agency_id: int,
    user: str,
    proposed: list[str] | None = None,
    note: str = "",
) -> KeyTargetChoice:
    """Store (or replace) the confirmed body of ``kind`` for ``period`` (a Period code)."""
    _check(period, kind)
    agency = s.get(Agency, agency_id)
    if agency is None:
        raise KeyTargetError(f"单位名录中没有编号为 {agency_id} 的单位")
    if not fits(agency, kind):
        raise KeyTargetError(
            f"“{agency.name}”不是单位名录中的本县{KINDS[kind]}，不能确认为{KINDS[kind]}的重点监督对象"
        )
    row = s.scalar(
        select(KeyTargetChoice).where(KeyTargetChoice.period == period, KeyTargetChoice.kind == kind)
    )
    if row is None:
        row = KeyTargetChoice(period=period, kind=kind)
        s.add(row)
    row.agency_id, row.agency_name = agency.id, agency.name
    row.proposed = list(proposed or [])
    row.note = (note or "").strip()[:500]
    row.confirmed_by = user
    row.confirmed_at = dt.datetime.now(dt.UTC)
    s.flush()
    return row


def withdraw(s: Session, *, period: str, kind: str) -> bool:
    """Withdraw the confirmation (the proposal is shown again); False when none was stored."""
    _check(period, kind)
    row = s.scalar(
        select(KeyTargetChoice).where(KeyTargetChoice.period == period, KeyTargetChoice.kind == kind)
    )
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


def confirmed(s: Session, period: str) -> dict[str, dict[str, Any]]:
    """kind → {agency_id, name, proposed, note, confirmed_by, confirmed_at} for the period."""
    out = {}
    for row in s.scalars(select(KeyTargetChoice).where(KeyTargetChoice.period == period)):
        out[row.kind] = {
            "agency_id": row.agency_id,
            "name": row.agency_name,
            "proposed": list(row.proposed or []),
            "note": row.note,
            "confirmed_by": row.confirmed_by,
            "confirmed_at": row.confirmed_at.isoformat(timespec="minutes") if row.confirmed_at else None,
        }
    return out
