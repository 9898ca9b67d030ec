// The leadership dashboard: each section's trend (this year, last year, the cumulative goal
// line) and its breakdowns (bars by chain, park or team; the pipeline's funnel). A bar or a
// funnel stage opens the list of exactly its rows.
(function () {
  "use strict";

  function resizeWith(chart) {
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function trendChart(element, data) {
    var chart = echarts.init(element);
    var series = [
      { name: data.current_label, type: "line", data: data.current, itemStyle: { color: "#0d6efd" } },
      { name: data.previous_label, type: "line", data: data.previous, lineStyle: { type: "dashed" }, itemStyle: { color: "#9ec5fe" } }
    ];
    if (data.goal && data.goal.length) {
      series.push({ name: data.goal_label, type: "line", data: data.goal, symbol: "none", lineStyle: { type: "dotted" }, itemStyle: { color: "#dc3545" } });
    }
    // A second line from the section's own data (the projects' plans, 计划序时).
    if (data.plan && data.plan.length) {
      series.push({ name: data.plan_label, type: "line", data: data.plan, symbol: "none", lineStyle: { type: "dashed" }, itemStyle: { color: "#fd7e14" } });
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " " + data.unit; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.unit },
      series: series
    });
    return chart;
  }

  function barChart(element, data) {
    var chart = echarts.init(element);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " " + data.unit; } },
      grid: { left: 8, right: 24, bottom: 24, top: 16, containLabel: true },
      // The unit under the axis, centred: at the axis' end it was cut off ("亿" of 亿元).
      xAxis: { type: "value", name: data.unit, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", inverse: true, data: data.labels, axisLabel: { width: 110, overflow: "truncate" } },
      series: [{
        type: "bar",
        // A colour per group where the breakdown gives them (the projects' red, amber, green).
        data: data.values.map(function (v, i) {
          return data.colours && data.colours[i] ? { value: v, itemStyle: { color: data.colours[i] } } : v;
        }),
        itemStyle: { color: "#0d6efd" },
        label: { show: true, position: "right" }
      }]
    });
    return chart;
  }

  function funnelChart(element, data) {
    var chart = echarts.init(element);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}: {c} " + data.unit },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
        label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; })
      }]
    });
    return chart;
  }

  var DRAW = { trend: trendChart, bar: barChart, funnel: funnelChart };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".dashboard-chart[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.source);
      var draw = DRAW[element.dataset.chart];
      if (!source || !draw) { return; }
      var data = JSON.parse(source.textContent);
      var chart = draw(element, data);
      if (data.links) {
        chart.on("click", function (event) {
          var link = data.links[event.dataIndex];
          if (link) { window.location.href = link; }
        });
      }
      resizeWith(chart);
      element.dataset.rendered = "true";
    });
  });
})();
