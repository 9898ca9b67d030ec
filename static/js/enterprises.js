// Enterprise pages: the monthly output/revenue chart (this year against the previous year).
(function () {
  "use strict";

  function monthlyChart(element, data) {
    var chart = echarts.init(element);
    var previous = data.year - 1;
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元"; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: data.year + "年产值", type: "bar", data: data.output, itemStyle: { color: "#0d6efd" } },
        { name: previous + "年产值", type: "bar", data: data.previous_output, itemStyle: { color: "#9ec5fe" } },
        { name: data.year + "年营收", type: "line", data: data.revenue, itemStyle: { color: "#198754" } },
        { name: previous + "年营收", type: "line", data: data.previous_revenue, lineStyle: { type: "dashed" }, itemStyle: { color: "#75b798" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  }

  function chainChart(element, data) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "value", name: "亿元" },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [{ name: "工业总产值（亿元）", type: "bar", data: data.output, itemStyle: { color: "#0d6efd" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "true";
  }

  // The enterprise form: offer only the nodes of the chosen chain (the server checks it too).
  function linkChainNodes(select) {
    var chain = document.getElementById(select.dataset.filterBy);
    if (!chain) { return; }
    function update() {
      Array.prototype.forEach.call(select.options, function (option) {
        var other = option.dataset.chain && chain.value && option.dataset.chain !== chain.value;
        option.hidden = !!other;
        option.disabled = !!other;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled) { select.value = ""; }
    }
    chain.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-filter-by]").forEach(linkChainNodes);
    var source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var monthly = document.getElementById("monthly-chart");
    if (monthly) { monthlyChart(monthly, data); }
    var chains = document.getElementById("chain-chart");
    if (chains) { chainChart(chains, data); }
  });
})();
