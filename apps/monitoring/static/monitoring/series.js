// An enterprise's monthly headcount and people lost (ECharts; tooltip drawn on the canvas).
(function () {
  var el = document.getElementById("series-chart");
  if (!el || !window.echarts) return;
  var data = JSON.parse(document.getElementById("series-data").textContent);
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 50, right: 50, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", name: "人" }, { type: "value", name: "减少" }],
    series: [
      { name: "月末从业人数", type: "line", data: data.headcount, showSymbol: false },
      { name: "本月减少人数", type: "bar", yAxisIndex: 1, data: data.reduced },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
