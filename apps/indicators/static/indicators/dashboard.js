// The leaders' dashboard: the monthly trend (ECharts) and the sub-regions coloured by an
// indicator (Leaflet, no base map unless the deployment sets a tile server). Names reach
// the page as text only: ECharts draws its tooltip on the canvas (richText), Leaflet's
// tooltips get text nodes.
(function () {
  var trendEl = document.getElementById("trend");
  if (trendEl && window.echarts) {
    var trend = JSON.parse(document.getElementById("trend-data").textContent);
    var chart = echarts.init(trendEl, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value" },
      series: trend.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, showSymbol: false };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
    trendEl.dataset.ready = String(trend.series.length);
  }

  var mapEl = document.getElementById("region-map");
  if (mapEl && window.L) {
    var data = JSON.parse(document.getElementById("map-data").textContent);
    var placed = data.regions.filter(function (r) { return r.lat !== null && r.lng !== null; });
    var map = L.map(mapEl, { attributionControl: false });
    if (placed.length) map.fitBounds(placed.map(function (r) { return [r.lat, r.lng]; }), { padding: [30, 30] });
    else map.setView([35, 105], 4);
    var values = placed.map(function (r) { return r.value; }).filter(function (v) { return v !== null; });
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    // Light to dark blue as the value grows; grey where there is none.
    function colour(v) {
      if (v === null) return "#98a2b3";
      var t = high > low ? (v - low) / (high - low) : 0.5;
      var shades = ["#d1e9ff", "#84caff", "#2e90fa", "#1570ef", "#194185"];
      return shades[Math.min(4, Math.floor(t * 5))];
    }
    placed.forEach(function (r) {
      var label = document.createElement("span");
      label.textContent = r.name + ":" + (r.value === null ? "—" : (Math.round(r.value * 10) / 10) + data.unit);
      L.circleMarker([r.lat, r.lng], { radius: 12, weight: 1, color: "#101828", fillColor: colour(r.value), fillOpacity: 0.85 })
        .bindTooltip(label, { permanent: placed.length <= 12, direction: "top" })
        .on("click", function () { window.location.search = r.url.slice(1); })
        .addTo(map);
    });
    mapEl.dataset.ready = String(placed.length);
  }
})();
