// The wished place of work on a map: click the map (or a community's dot) to choose it.
// The form keeps the choice in its select and two hidden fields; without JavaScript the
// select alone works (communities by name).
(function () {
  var el = document.getElementById("place-map");
  var dataNode = document.getElementById("place-data");
  if (!el || !dataNode || !window.L) return;
  var data = JSON.parse(dataNode.textContent);
  var select = document.getElementById("id_work_place");
  var latInput = document.getElementById("id_work_lat");
  var lngInput = document.getElementById("id_work_lng");
  var map = L.map(el, { attributionControl: !!data.tiles });
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  var points = data.communities.map(function (c) { return [c.lat, c.lng]; });
  if (data.home) points.push(data.home);
  if (points.length) map.fitBounds(points, { padding: [16, 16] });
  else map.setView([35, 105], 4);

  var byCode = {};
  data.communities.forEach(function (c) {
    byCode[c.code] = c;
    L.circleMarker([c.lat, c.lng], { radius: 4, color: "#1f5fa8", weight: 1, fillOpacity: 0.5 })
      .bindTooltip(document.createTextNode(c.name))
      .on("click", function (e) {
        L.DomEvent.stopPropagation(e);
        select.value = c.code;
        show();
      })
      .addTo(map);
  });
  if (data.home) {
    L.circleMarker(data.home, { radius: 6, color: "#027a48", fillOpacity: 1 })
      .bindTooltip(document.createTextNode("居住地"))
      .addTo(map);
  }
  var chosen = null;
  function place(latlng) {
    if (!chosen) chosen = L.marker(latlng).addTo(map);
    else chosen.setLatLng(latlng);
  }
  function show() {
    var c = byCode[select.value];
    if (c) {
      latInput.value = c.lat;
      lngInput.value = c.lng;
      place([c.lat, c.lng]);
    } else if (select.value === "map" && latInput.value && lngInput.value) {
      place([parseFloat(latInput.value), parseFloat(lngInput.value)]);
    } else if (chosen) {
      map.removeLayer(chosen);
      chosen = null;
    }
  }
  map.on("click", function (e) {
    select.value = "map";
    latInput.value = e.latlng.lat.toFixed(6);
    lngInput.value = e.latlng.lng.toFixed(6);
    place(e.latlng);
  });
  select.addEventListener("change", show);
  show();
  el.dataset.ready = "1";
})();
