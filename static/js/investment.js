// The chain map's tree (产业链图谱): chains → nodes, coloured by tag; the table below holds the
// same figures and links.
(function () {
  "use strict";
  var box = document.getElementById("chain-tree");
  var source = document.getElementById("chain-tree-data");
  if (!box || !source || typeof echarts === "undefined") return;
  var chains = JSON.parse(source.textContent);
  var data = {
    name: "",
    children: chains.map(function (chain) {
      return {
        name: chain.name,
        children: chain.children.map(function (node) {
          return {
            name: node.name + "（" + node.tag + " " + node.value + "）",
            itemStyle: { color: node.value ? "#198754" : "#ffc107" },
            tooltip: { formatter: node.name + "<br>" + node.tag + " · " + node.value + " / " + node.leads + " / " + node.targets },
          };
        }),
      };
    }),
  };
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "item" },
    series: [{ type: "tree", data: [data], top: "2%", bottom: "2%", left: "8%", right: "22%",
      symbolSize: 9, label: { position: "left", verticalAlign: "middle", align: "right" },
      leaves: { label: { position: "right", align: "left" } }, expandAndCollapse: false }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
