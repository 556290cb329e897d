"""The agency registry: matching defendant names, the review list, CSV/XLSX round trip, the shipped sample."""

from __future__ import annotations

from pathlib import Path

from registry import agencies as ag


def _registry(s) -> dict[str, int]:
    rs = ag.add_agency(s, "垫江县人力资源和社会保障局", aliases=[("垫江县人社局", ag.AliasKind.abbreviation)])
    zr = ag.add_agency(s, "垫江县自然资源局", aliases=[("垫江县国土资源局", ag.AliasKind.former_name)])
    town = ag.add_agency(s, "垫江县桂溪街道办事处")
    return {"rs": rs.id, "zr": zr.id, "town": town.id}


def test_exact_alias_fuzzy_and_unmatched(db) -> None:
    with db.session() as s:
        ids = _registry(s)
        assert ag.match_defendant(s, "垫江县人力资源和社会保障局") == (ids["rs"], 1.0)
        assert ag.match_defendant(s, "垫江县人社局") == (ids["rs"], 0.98)
        assert ag.match_defendant(s, "原垫江县国土资源局")[0] == ids["zr"]  # 机构改革: the former name
        fuzzy_id, conf = ag.match_defendant(s, "垫江县人力资源与社会保障局")  # a typo in the judgment
        assert fuzzy_id == ids["rs"] and 0.88 <= conf < 0.98
        assert ag.match_defendant(s, "垫江县公安局", record_unmatched=True)[0] is None
        assert [u["name"] for u in ag.unmatched(s)] == ["垫江县公安局"]
        ag.resolve_unmatched(s, "垫江县公安局", ids["zr"])  # a (deliberately odd) reviewer answer
        assert ag.unmatched(s) == []
        assert "垫江县公安局" in ag.agency_names(s, ids["zr"])
        assert ag.agency_names(s, ids["rs"]) == ["垫江县人力资源和社会保障局", "垫江县人社局"]


def test_kinds_from_names() -> None:
    assert ag.guess_kind("垫江县桂溪街道办事处") == ag.AgencyKind.township
    assert ag.guess_kind("兴文县古宋镇人民政府") == ag.AgencyKind.township
    assert ag.guess_kind("垫江县人民政府") == ag.AgencyKind.government
    assert ag.guess_kind("垫江县人力资源和社会保障局") == ag.AgencyKind.department


def test_csv_and_xlsx_round_trip(db, tmp_path: Path) -> None:
    with db.session() as s:
        _registry(s)
        for suffix in (".csv", ".xlsx"):
            assert ag.export_file(s, tmp_path / f"reg{suffix}") == 3
    for suffix in (".csv", ".xlsx"):
        rows = ag.read_table_file(tmp_path / f"reg{suffix}")
        by_name = {r["单位全称"]: r for r in rows if r.get("单位全称")}
        assert by_name["垫江县人力资源和社会保障局"]["简称"] == "垫江县人社局"
        assert by_name["垫江县自然资源局"]["曾用名"] == "垫江县国土资源局"
        assert by_name["垫江县桂溪街道办事处"]["类型"] == "乡镇（街道）"


def test_sample_registry_matches_the_corpus_defendants(db, corpus_labels) -> None:
    """GIVEN the shipped demo registry WHEN every corpus defendant is matched THEN nearly all are found."""
    with db.session() as s:
        assert ag.load_sample_registry(s) > 100
        names = [d for r in corpus_labels.values() for d in r["defendants"]]
        matches = ag.scan_defendants(s, names)
        missing = [n for n, m in matches.items() if m.agency_id is None]
        assert len(missing) <= 5, missing  # masked names such as 某派出所 stay for review
        assert {u["name"] for u in ag.unmatched(s)} == set(missing)
