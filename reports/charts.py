"""Charts for the bulletin (matplotlib, Agg, a CJK font so Chinese labels render)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei"]


def _use_cjk_font() -> None:
    have = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in CJK_FONTS if f in have] or ["DejaVu Sans"]
    plt.rcParams["font.sans-serif"] = fonts + ["DejaVu Sans"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False


def trend_chart(
    labels: list[str], losses: list[int], rates: list[float | None], path: Path, title: str
) -> Path:
    """Bars: losses per period; line: loss rate (%)."""
    _use_cjk_font()
    fig, ax = plt.subplots(figsize=(7.5, 3.6), dpi=150)
    ax.bar(labels, losses, color="#c0504d", label="败诉案件数")
    ax.set_ylabel("败诉案件数（件）")
    ax.set_ylim(0, max([1, *losses]) * 1.3)
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    ax2 = ax.twinx()
    pts = [(i, r * 100) for i, r in enumerate(rates) if r is not None]
    if pts:
        ax2.plot([p[0] for p in pts], [p[1] for p in pts], color="#1f497d", marker="o", label="败诉率")
    ax2.set_ylabel("败诉率（%）")
    ax2.set_ylim(0, max([100.0] + [p[1] for p in pts]) * 1.05 if pts else 100)
    ax.set_title(title)
    fig.legend(loc="upper left", bbox_to_anchor=(0.1, 0.88), fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def bar_chart(labels: list[str], values: list[int], path: Path, title: str, xlabel: str = "件") -> Path:
    """Horizontal bars, largest on top."""
    _use_cjk_font()
    pairs = sorted(zip(labels, values, strict=True), key=lambda p: p[1])
    fig, ax = plt.subplots(figsize=(7.5, max(2.0, 0.42 * len(pairs) + 1.0)), dpi=150)
    ax.barh([p[0] for p in pairs], [p[1] for p in pairs], color="#4f81bd")
    for i, (_, v) in enumerate(pairs):
        ax.text(v, i, f" {v}", va="center", fontsize=9)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
