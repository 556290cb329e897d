/* 看板 charts (ECharts, served locally). Clicking a bar opens the matching cases in 检索. */
"use strict";
(function () {
  const el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(el.textContent);
  if (!data.by_period) return;
  const font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  const navy = "#1f3a5f", red = "#9b1c1c";
  const charts = [];
  function make(id, option, onClick) {
    const node = document.getElementById(id);
    if (!node) return;
    const chart = echarts.init(node);
    chart.setOption(Object.assign({ animation: false, textStyle: font, grid: { left: 48, right: 48, top: 36, bottom: 48, containLabel: true } }, option));
    if (onClick) chart.on("click", onClick);
    charts.push(chart);
  }
  function go(q) { location.href = "/search?q=" + encodeURIComponent(q); }
  const periods = data.by_period.map((p) => p.label);
  make("chart-trend", {
    tooltip: { trigger: "axis" }, legend: { data: ["案件数", "败诉数", "败诉率"], top: 0 },
    xAxis: { type: "category", data: periods },
    yAxis: [{ type: "value", name: "件", minInterval: 1 }, { type: "value", name: "败诉率", axisLabel: { formatter: (v) => Math.round(v * 100) + "%" }, max: 1 }],
    series: [
      { name: "案件数", type: "bar", data: data.by_period.map((p) => p.cases), itemStyle: { color: navy } },
      { name: "败诉数", type: "bar", data: data.by_period.map((p) => p.lost), itemStyle: { color: red } },
      { name: "败诉率", type: "line", yAxisIndex: 1, data: data.by_period.map((p) => p.loss_rate), itemStyle: { color: "#b45309" } },
    ],
  }, (p) => { const y = String(data.by_period[p.dataIndex].key).slice(0, 4); if (/^\d{4}$/.test(y)) go(`年份:${y}` + (p.seriesName === "败诉数" ? " 结果:败诉" : "")); });
  function bars(id, items, field) {
    make(id, {
      tooltip: {}, xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: items.map((i) => i.label).reverse(), axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: items.map((i) => i.count).reverse(), itemStyle: { color: red } }],
    }, (p) => go(`结果:败诉 ${field}:${p.name}`));
  }
  bars("chart-cause", data.lost_by_cause, "原因");
  bars("chart-field", data.lost_by_field, "领域");
  bars("chart-action", data.lost_by_action_type, "类型");
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
