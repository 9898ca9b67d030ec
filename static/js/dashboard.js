// The leadership dashboard: the output trend (this year, last year, the cumulative goal line).
(function () {
  "use strict";

  function trendChart(element, data) {
    var chart = echarts.init(element);
    var series = [
      { name: data.year + "年", type: "line", data: data.current, itemStyle: { color: "#0d6efd" } },
      { name: (data.year - 1) + "年", type: "line", data: data.previous, lineStyle: { type: "dashed" }, itemStyle: { color: "#9ec5fe" } }
    ];
    if (data.goal && data.goal.length) {
      series.push({ name: "序时目标", type: "line", data: data.goal, symbol: "none", lineStyle: { type: "dotted" }, itemStyle: { color: "#dc3545" } });
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " 亿元"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: "亿元" },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("trend-data");
    var element = document.getElementById("trend-chart");
    if (!source || !element || typeof echarts === "undefined") { return; }
    trendChart(element, JSON.parse(source.textContent));
  });
})();
