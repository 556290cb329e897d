"""Reports: agency registry, statistics and rankings, follow-up deadlines, bulletins and collections.

Service functions (each takes a SQLAlchemy session; the API serialises what they return):
- ``reports.stats.stats_report(session, by=, period=, definition=, agency_ids=, ours_only=)`` → StatsReport
  (``.to_json()``, ``.to_table()`` → CSV/XLSX via ``reports.tables.write_table``)
- ``reports.agencies``: ``agency_names``, ``match_defendant``, ``list_agencies``, ``add_agency``, ``add_alias``,
  ``unmatched``, ``resolve_unmatched``, ``import_file``, ``export_file``
- ``reports.followup``: ``upsert_followup``, ``list_followups``, ``overdue``
- ``reports.ledger.import_ledger_file``
- ``reports.bulletin.make_bulletin`` and ``reports.collection.make_collection`` (DOCX or PDF)
- :func:`build_report` for a background worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def build_report(db: Any, settings: Any, *, kind: str, output: str, **params: Any) -> dict[str, Any]:
    """Build a bulletin (``quarter``), a collection (``causes``, ``fields``, ``year``/``period``,
    ``agency_ids``, ``judgment_ids``, ``title``) or a statistics table (``by``, ``period``, ``definition``)
    into ``output`` (.docx/.pdf, or .csv/.xlsx for statistics). Returns a small JSON-able summary."""
    out = Path(output)
    with db.session() as s:
        if kind == "bulletin":
            from reports.bulletin import make_bulletin

            r = make_bulletin(s, settings, params["quarter"], out, definition=params.get("definition"),
                              agency_ids=params.get("agency_ids"), ours_only=bool(params.get("ours_only")),
                              number=params.get("number"))
            return {"path": str(r.path), "period": r.period, "cases": r.cases, "losses": r.losses}
        if kind == "collection":
            from reports.collection import CollectionFilter, make_collection
            from reports.stats import Period

            year = params.get("year")
            f = CollectionFilter(causes=list(params.get("causes") or []), fields=list(params.get("fields") or []),
                                 period=Period.parse(str(year) if year else params.get("period")),
                                 agency_ids=params.get("agency_ids"), judgment_ids=list(params.get("judgment_ids") or []))
            c = make_collection(s, settings, f, out, title=params.get("title"))
            return {"path": str(c.path), "cases": c.cases, "groups": c.groups}
        if kind == "stats":
            from reports.stats import stats_report
            from reports.tables import write_table

            rep = stats_report(s, by=params.get("by", "agency"), period=params.get("period"),
                               definition=params.get("definition"), agency_ids=params.get("agency_ids"),
                               ours_only=bool(params.get("ours_only")))
            write_table(rep.to_table(), out)
            return {"path": str(out), "rows": len(rep.rows), "definition": rep.definition.code}
    raise ValueError(f"unknown report kind: {kind}")
