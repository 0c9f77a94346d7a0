// The public board's jobs on a Leaflet map (vendored; a tile server only if configured).
// Titles and names reach the map as text nodes, never as HTML.
(function () {
  var el = document.getElementById("board-map");
  var holder = document.getElementById("board-data");
  if (!el || !holder || !window.L) return;
  var data = JSON.parse(holder.textContent);
  if (!data.jobs.length) { el.hidden = true; return; }
  var map = L.map(el, { attributionControl: !!data.tiles });
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  map.fitBounds(data.jobs.map(function (j) { return [j.lat, j.lng]; }), { padding: [20, 20], maxZoom: 15 });
  data.jobs.forEach(function (j) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = j.url;
    link.textContent = j.title;
    var line = document.createElement("div");
    line.textContent = j.employer + " · " + j.wage + " 元/月";
    box.appendChild(link);
    box.appendChild(line);
    L.circleMarker([j.lat, j.lng], { radius: 6, color: "#1f5fa8", fillOpacity: 0.7 }).bindPopup(box).addTo(map);
  });
  el.dataset.ready = String(data.jobs.length);
})();
