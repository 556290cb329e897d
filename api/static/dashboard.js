/* 看板 charts (ECharts, served locally). Clicking a bar opens its cases in 检索 with the dashboard's period and
   agency (each item's `query`, built by api/services/drill.py). Every chart has a data table in the page; a
   chart without data is not drawn (the page says so instead). The legend sits under the plot, so that it never
   covers the axes, whatever the width. */
"use strict";
(function () {
  const el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(el.textContent);
  if (!data.by_period) return;
  const font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  const navy = "#1f3a5f", red = "#9b1c1c";
  const charts = [];
  const narrow = () => window.innerWidth <= 700;
  function make(id, option, onClick) {
    const node = document.getElementById(id);
    if (!node) return;
    const chart = echarts.init(node);
    chart.setOption(Object.assign({ animation: false, textStyle: font, grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true } }, option));
    if (onClick) chart.on("click", onClick);
    charts.push(chart);
  }
  function go(q) { if (q !== null && q !== undefined) location.href = "/search?q=" + encodeURIComponent(q); }
  const rows = data.by_period.filter((p) => p.key !== "undated");
  if (rows.length) {
    make("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { data: ["案件数", "败诉数", "败诉率"], bottom: 0, itemGap: 12 },
      grid: { left: 8, right: 8, top: 36, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: rows.map((p) => p.label), axisLabel: { hideOverlap: true, rotate: narrow() && rows.length > 4 ? 40 : 0 } },
      yAxis: [
        { type: "value", name: "件", minInterval: 1, nameTextStyle: { align: "left" } },
        { type: "value", name: "败诉率", axisLabel: { formatter: (v) => Math.round(v * 100) + "%" }, max: 1, nameTextStyle: { align: "right" } },
      ],
      series: [
        { name: "案件数", type: "bar", data: rows.map((p) => p.cases), itemStyle: { color: navy } },
        { name: "败诉数", type: "bar", data: rows.map((p) => p.lost), itemStyle: { color: red } },
        { name: "败诉率", type: "line", yAxisIndex: 1, data: rows.map((p) => p.loss_rate), itemStyle: { color: "#b45309" } },
      ],
    }, (p) => {
      const row = rows[p.dataIndex];
      if (!row || row.query === null) return;
      go(p.seriesName === "败诉数" ? row.lost_query : p.seriesName === "案件数" ? row.query : row.concluded_query);
    });
  }
  function bars(id, items) {
    if (!items.length) return;
    const shown = items.slice().reverse();
    make(id, {
      tooltip: {},
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: shown.map((i) => i.label), axisLabel: { width: narrow() ? 84 : 110, overflow: "truncate" } },
      series: [{ type: "bar", data: shown.map((i) => i.count), itemStyle: { color: red } }],
    }, (p) => { const item = shown[p.dataIndex]; if (item) go(item.query); });
  }
  bars("chart-cause", data.lost_by_cause);
  bars("chart-field", data.lost_by_field);
  bars("chart-action", data.lost_by_action_type);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
