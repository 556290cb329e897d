"""Search speed at scale: N judgment-like documents made by RECOMBINING REAL PARAGRAPHS of the corpus
(for speed only — the documents are not real judgments and say nothing about accuracy).

    .venv/bin/python bench/search.py --n 100000 [--out DIR] [--queries 200] [--engine embedded|es]

Each generated document takes the section layout of a random real judgment and fills every section with
paragraphs drawn from the same section of other judgments (首部 and 当事人 from the same pool), with a
synthetic unique case number, a random corpus court, date, agency and labels. Reports index build time,
index size on disk and p50/p95/p99 latency of a fixed mix of 200 queries, each with facets and snippets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from core.taxonomy import ActionType, LossCause, Outcome, Procedure, SectionName  # noqa: E402
from core.taxonomy import Field as EnforcementField  # noqa: E402

SECTION_ORDER = [s.value for s in SectionName]
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"


def corpus_pools(
    corpus_dir: Path,
) -> tuple[list[list[tuple[str, int]]], dict[str, list[str]], dict[str, list]]:
    """Layouts (section, paragraph count) of the real judgments, paragraphs by section, and value pools."""
    from ingest.parse import parse_text

    layouts: list[list[tuple[str, int]]] = []
    paragraphs: dict[str, list[str]] = {name: [] for name in SECTION_ORDER}
    values: dict[str, list] = {"court": [], "defendants": [], "plaintiffs": [], "citations": []}
    for line in (corpus_dir / "judgments.jsonl").read_text("utf-8").splitlines():
        text = json.loads(line)["document_text"]
        rec = parse_text(text)
        layout = []
        for sec in rec.sections:
            paras = [p for p in text[sec.start : sec.end].split("\n") if p.strip()]
            paragraphs[sec.name.value].extend(paras)
            layout.append((sec.name.value, len(paras)))
        if layout:
            layouts.append(layout)
        if rec.court and "×" not in rec.court:
            values["court"].append(rec.court)
        values["defendants"].extend(rec.defendants)
        values["plaintiffs"].extend(rec.plaintiffs)
        values["citations"].extend(
            {"law": c.law, "article": c.article, "paragraph": c.paragraph, "item": c.item}
            for c in rec.citations
        )
    return layouts, {k: v for k, v in paragraphs.items() if v}, values


def generate(n: int, corpus_dir: Path, seed: int = 7) -> Iterator[dict]:
    layouts, paragraphs, values = corpus_pools(corpus_dir)
    rng = random.Random(seed)
    causes = [c.value for c in LossCause]
    for i in range(1, n + 1):
        year = rng.randint(2012, 2025)
        case_no = (
            f"（{year}）{rng.choice(PROVINCES)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}行初{i}号"
        )
        parts, sections, pos = [], [], 0
        for name, count in rng.choice(layouts):
            pool = paragraphs.get(name) or paragraphs["reasoning"]
            body = "\n".join(rng.choice(pool) for _ in range(max(1, count)))
            if name == SectionName.header.value:
                body = body + "\n" + case_no
            sections.append((name, pos, pos + len(body)))
            parts.append(body)
            pos += len(body) + 1
        text = "\n".join(parts)
        outcome = rng.choice([o.value for o in Outcome])
        yield {
            "id": i,
            "case_no": case_no,
            "doc_kind": "judgment",
            "procedure": rng.choice([p.value for p in Procedure]),
            "title": "行政判决书",
            "court": rng.choice(values["court"]),
            "judgment_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "outcome": outcome,
            "action_type": rng.choice([a.value for a in ActionType]),
            "field": rng.choice([f.value for f in EnforcementField]),
            "loss_causes": rng.sample(causes, rng.randint(1, 2)) if outcome == "agency_lost" else [],
            "defendants": [rng.choice(values["defendants"])],
            "plaintiffs": [rng.choice(values["plaintiffs"])],
            "cause_of_action": None,
            "text": text,
            "reasoning_spans": [(a, b) for name, a, b in sections if name == SectionName.reasoning.value],
            "gist_sections": [
                (a, b, name)
                for name, a, b in sections
                if name in (SectionName.claims.value, SectionName.findings.value)
            ],
            "gist_spans": [
                (a, b)
                for name, a, b in sections
                if name in (SectionName.claims.value, SectionName.findings.value)
            ],
            # Real citations of the corpus (the text is recombined, so these are drawn from the same pool).
            "citations": rng.sample(values["citations"], min(len(values["citations"]), rng.randint(2, 6))),
        }


WORDS = [
    "强制拆除",
    "催告",
    "工伤认定",
    "政府信息公开",
    "听证",
    "陈述申辩",
    "行政处罚",
    "违法建筑",
    "房屋征收",
    "补偿安置",
    "不履行法定职责",
    "主要证据不足",
    "违反法定程序",
    "适用法律错误",
    "超越职权",
    "送达",
    "行政复议",
    "撤销",
    "确认违法",
    "驳回诉讼请求",
    "举证",
    "法定期限",
    "交通事故",
    "罚款",
    "拘留",
    "土地",
    "登记",
    "公告",
    "责令",
    "赔偿",
]


STATUTES = [
    "行政诉讼法第七十条",
    "行政诉讼法第六十九条",
    "行政诉讼法第70条第一项",
    "《中华人民共和国行政诉讼法》第八十九条第一款第（一）项",
    "工伤保险条例第十四条",
    "法条:行政强制法",
    "第34条",
]


def query_mix(n: int, paragraphs: list[str], courts: list[str], seed: int = 11) -> list[str]:
    """A fixed mix: words, two words, phrases, filters, combinations, OR, exclusion, case numbers, browse."""
    rng = random.Random(seed)
    out = []
    kinds = [
        "word",
        "word",
        "two",
        "phrase",
        "phrase",
        "filter",
        "filter",
        "combo",
        "combo",
        "or",
        "not",
        "case_no",
        "court",
        "browse",
        "statute",
        "case_bare",
        "or_lower",
    ]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "word":
            q = rng.choice(WORDS)
        elif kind == "two":
            q = " ".join(rng.sample(WORDS, 2))
        elif kind == "phrase":
            p = rng.choice(paragraphs)
            start = rng.randint(0, max(0, len(p) - 10))
            q = '"' + p[start : start + rng.randint(5, 10)].replace('"', "") + '"'
        elif kind == "filter":
            q = rng.choice(
                [
                    f"原因:{rng.choice(list(LossCause)).zh}",
                    f"结果:{rng.choice(list(Outcome)).zh}",
                    f"类型:{rng.choice(list(ActionType)).zh}",
                    f"领域:{rng.choice(list(EnforcementField)).zh}",
                    f"年份:{rng.randint(2012, 2020)}..{rng.randint(2021, 2025)}",
                ]
            )
        elif kind == "combo":
            q = f"{rng.choice(WORDS)} 结果:败诉 原因:{rng.choice(list(LossCause)).zh} 年份:{rng.randint(2012, 2025)}"
        elif kind == "or":
            a, b = rng.sample(WORDS, 2)
            q = f"{a} OR {b} 类型:{rng.choice(list(ActionType)).zh}"
        elif kind == "not":
            a, b = rng.sample(WORDS, 2)
            q = f"{a} -{b}"
        elif kind == "case_no":
            q = f"案号:{rng.choice(PROVINCES)}"  # partial case-number match: many hits
        elif kind == "court":
            q = f'法院:"{rng.choice(courts)}" {rng.choice(WORDS)}'
        elif kind == "statute":
            q = rng.choice(STATUTES) + rng.choice(["", " 结果:败诉", f" {rng.choice(WORDS)}"])
        elif kind == "case_bare":  # a generated number typed without brackets (see generate())
            q = f"{rng.randint(2012, 2025)}{rng.choice(PROVINCES)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}行初{rng.randint(1, 100000)}号"
        elif kind == "or_lower":
            a, b = rng.sample(WORDS, 2)
            q = f"{a} or {b}"
        else:
            q = ""
        out.append(q)
    return out


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("ANJIAN_CORPUS_DIR", REPO.parent / "shared" / "corpus")),
    )
    ap.add_argument(
        "--out", type=Path, default=None, help="index directory (default: a temporary one, removed)"
    )
    ap.add_argument("--engine", choices=["embedded", "es"], default="embedded")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    ap.add_argument(
        "--reuse", action="store_true", help="query the index already in --out (no build): a query pass only"
    )
    ap.add_argument("--similar", type=int, default=50, help="how many 类案 requests to time (size 10)")
    args = ap.parse_args()
    if args.reuse and (args.out is None or args.engine != "embedded"):
        ap.error("--reuse needs --out with an embedded index")

    from core.segment import segmenter_id

    print(
        f"bench/search.py: {args.n} documents RECOMBINED FROM REAL PARAGRAPHS of {args.corpus} "
        "(for speed, not accuracy)",
        flush=True,
    )
    tmp = None
    backend: Any
    if args.engine == "es":
        from search.es import ElasticsearchBackend

        backend = ElasticsearchBackend(os.environ["ANJIAN_ES_URL"], f"anjian-bench-{os.getpid()}")
        index_dir = None
    else:
        from search.embedded import EmbeddedBackend

        if args.out is None:
            tmp = tempfile.TemporaryDirectory(prefix="anjian-bench-")
            index_dir = Path(tmp.name) / "index"
        else:
            index_dir = args.out
        backend = EmbeddedBackend(index_dir)
    chars = 0

    def counted() -> Iterator[dict]:
        nonlocal chars
        for k, d in enumerate(generate(args.n, args.corpus), 1):
            chars += len(d["text"])
            if k % 10000 == 0:
                print(f"  {k} documents, {time.perf_counter() - started:.0f} s", flush=True)
            yield d

    import resource

    def cpu_parts() -> tuple[float, float]:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime

    def cpu_s() -> float:
        return sum(cpu_parts())

    load_before = os.getloadavg()[0]
    cpu0 = cpu_s()
    main0, kids0 = cpu_parts()
    started = time.perf_counter()
    built = backend.count() if args.reuse else backend.rebuild(counted())
    build_s = time.perf_counter() - started
    build_cpu_s = cpu_s() - cpu0
    main1, kids1 = cpu_parts()
    size = du(index_dir) if index_dir else None
    print(
        f"indexed {built} documents ({chars / max(1, built):.0f} chars each on average) in {build_s:.1f} s; "
        f"segmenter {segmenter_id()}; index size {size / 1e6 if size else float('nan'):.0f} MB",
        flush=True,
    )

    _layouts, paragraphs, values = corpus_pools(args.corpus)
    queries = query_mix(
        args.queries, [p for ps in paragraphs.values() for p in ps if len(p) > 12], values["court"]
    )
    for q in query_mix(20, paragraphs["reasoning"], values["court"], seed=99):  # warm-up, not counted
        backend.search(q, size=20)
    times, totals, bare = [], [], []
    for q in queries:
        getattr(backend, "_facet_cache", {}).clear()  # repeated queries of the mix must not hit the cache
        t0 = time.perf_counter()
        res = backend.search(q, size=20)
        times.append((time.perf_counter() - t0) * 1000)
        totals.append(res.total)
    for q in queries:  # the same without facets: what the facets cost
        t0 = time.perf_counter()
        backend.search(q, size=20, facets=False)
        bare.append((time.perf_counter() - t0) * 1000)
    times_sorted = sorted(times)
    rng = random.Random(5)
    known = sorted(backend.ids()) if args.similar else []
    similar_ms = []
    for jid in rng.sample(known, min(args.similar, len(known))):  # 类案 of random judgments
        t0 = time.perf_counter()
        backend.similar(jid, size=10)
        similar_ms.append((time.perf_counter() - t0) * 1000)
    similar_ms.sort()

    def pct(p: float) -> float:
        return times_sorted[min(len(times_sorted) - 1, int(round(p / 100 * len(times_sorted))) - 1)]

    slowest = sorted(zip(times, queries, totals, strict=True), reverse=True)[:5]
    numbers = {
        "engine": args.engine,
        "documents": built,
        "avg_chars": round(chars / max(1, built)),
        "build_s": round(build_s, 1),
        "build_cpu_s": round(build_cpu_s, 1),
        "build_cpu_main_s": round(main1 - main0, 1),
        "build_cpu_segmenting_processes_s": round(kids1 - kids0, 1),
        "load_average_during_build": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "index_mb": round(size / 1e6, 1) if size else None,
        "queries": len(queries),
        "p50_ms": round(pct(50), 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "mean_ms": round(statistics.mean(times), 1),
        "p95_ms_without_facets": round(sorted(bare)[int(0.95 * len(bare)) - 1], 1),
        "median_hits": int(statistics.median(totals)),
        "similar_requests": len(similar_ms),
        "similar_p50_ms": round(similar_ms[len(similar_ms) // 2], 1) if similar_ms else None,
        "similar_p95_ms": round(similar_ms[max(0, int(0.95 * len(similar_ms)) - 1)], 1)
        if similar_ms
        else None,
        "reused_index": args.reuse,
        "segmenter": segmenter_id(),
        "slowest": [{"ms": round(t, 1), "query": q, "hits": n} for t, q, n in slowest],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(numbers, ensure_ascii=False, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=1), "utf-8")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
