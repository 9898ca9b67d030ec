// 项目台账: the S-curve (cumulative planned against approved investment, with the 序时 line)
// and the ledger's breakdown by colour and status. Data comes from a json_script element.
(function () {
  "use strict";

  function wan(v) {
    return v == null ? "—" : v.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元";
  }

  function sCurve(element, data) {
    var chart = echarts.init(element);
    var series = [
      { name: "计划累计", type: "line", data: data.planned, smooth: true, itemStyle: { color: "#6c757d" }, lineStyle: { type: "dashed" } },
      { name: "实际累计（已审核）", type: "line", data: data.actual, smooth: true, itemStyle: { color: "#0d6efd" }, areaStyle: { opacity: 0.08 } }
    ];
    if (data.schedule) {
      series.push({ name: "序时进度", type: "line", data: data.schedule, step: "end", itemStyle: { color: "#fd7e14" }, lineStyle: { width: 1 } });
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: wan },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: "万元" },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  }

  var COLOURS = { red: "#dc3545", amber: "#ffc107", green: "#198754" };

  function breakdown(element, data) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "item" },
      legend: { bottom: 0, type: "scroll" },
      series: [
        {
          name: "预警", type: "pie", radius: ["30%", "50%"], center: ["25%", "45%"],
          data: data.colours.map(function (c) { return { name: c.name, value: c.value, itemStyle: { color: COLOURS[c.code] } }; })
        },
        { name: "状态", type: "pie", radius: ["30%", "50%"], center: ["75%", "45%"], data: data.statuses }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (element.dataset.chart === "s-curve") { sCurve(element, data); }
    if (element.dataset.chart === "breakdown") { breakdown(element, data); }
  });
})();
