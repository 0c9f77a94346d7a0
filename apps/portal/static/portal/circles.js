// The communities' circles on a Leaflet map. No base map unless the deployment sets a tile
// server (an intranet one): communities and stations are drawn on a plain background.
(function () {
  var el = document.getElementById("circle-map");
  var data = JSON.parse(document.getElementById("circle-data").textContent);
  if (!el || !window.L) return;
  var map = L.map(el, { attributionControl: !!data.tiles });
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  // The view first: vector layers need it to be drawn.
  var points = data.stations.concat(data.communities).map(function (p) { return [p.lat, p.lng]; });
  if (points.length) map.fitBounds(points, { padding: [20, 20] });
  else map.setView([35, 105], 4);

  // Names come from imports: they reach the page as text nodes, never as HTML.
  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }
  function lines(parts) {
    var box = document.createElement("div");
    parts.forEach(function (part, i) {
      if (i) box.appendChild(document.createElement("br"));
      box.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return box;
  }

  var services = L.layerGroup().addTo(map);
  data.stations.forEach(function (s) {
    L.circle([s.lat, s.lng], { radius: data.walk_m, color: "#12b76a", weight: 1, fillOpacity: 0.08 })
      .bindTooltip(text("span", s.name + "(" + s.kind + ")")).addTo(services);
    L.circleMarker([s.lat, s.lng], { radius: 4, color: "#027a48", fillOpacity: 1 }).addTo(services);
  });
  var selected = null;
  data.communities.forEach(function (c) {
    var marker = L.circleMarker([c.lat, c.lng], {
      radius: 7, weight: 2, color: c.meets ? "#1f5fa8" : "#b54708", fillOpacity: 0.7,
    }).addTo(map);
    marker.bindPopup(lines([
      text("b", c.name),
      "求职 " + c.seekers + " 人 · 圈内招聘 " + c.openings + " 人",
      "服务圈外 " + c.outside + " 人",
      c.meets ? "充分就业社区达标" : "未达标",
    ]));
    marker.on("click", function () {
      if (selected) map.removeLayer(selected);
      selected = L.circle([c.lat, c.lng], {
        radius: data.radius_m, color: "#1f5fa8", weight: 1, fillOpacity: 0.05,
      }).addTo(map);
    });
  });
  L.control.layers(null, { "服务站15分钟服务圈": services }).addTo(map);
  el.dataset.ready = String(data.communities.length);
})();
