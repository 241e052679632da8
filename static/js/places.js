// The public search of places: « Autour de moi » and the map. The list of places says the
// same as the map, and the search works without this file.
(function () {
  "use strict";

  // « Autour de moi »: the browser's position fills the hidden fields and the search is sent.
  // The position goes into the address of the results page only; it is never stored.
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-around-me]");
    if (!button || !navigator.geolocation) return;
    var form = button.closest("form");
    var status = form.querySelector("[data-around-me-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.searching || "…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(4);
          form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(4);
          form.querySelector("[name=ou]").value = "";
          form.submit();
        },
        function () {
          status.textContent = button.dataset.refused || "";
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
    // Typing a commune forgets a position found earlier.
    form.querySelector("[name=ou]").addEventListener("input", function () {
      form.querySelector("[name=lat]").value = "";
      form.querySelector("[name=lon]").value = "";
    });
  });

  // The map: a marker per place, grouped when close, each opening the place's page.
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.querySelector("[data-place-map]");
    if (!canvas || !window.L) return;
    var source = document.getElementById(canvas.dataset.points);
    var points = source ? JSON.parse(source.textContent) : [];
    if (!points.length) return;
    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(canvas.dataset.tiles, {
      attribution: canvas.dataset.attribution,
      maxZoom: 18
    }).addTo(map);
    var group = L.markerClusterGroup ? L.markerClusterGroup() : L.featureGroup();
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(point.commune));
      marker.bindPopup(popup);
      group.addLayer(marker);
    });
    map.addLayer(group);
    if (points.length === 1) {
      map.setView([points[0].lat, points[0].lon], 15);
    } else {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 14 });
    }
  });

  // Staff move a place's pin: the marker writes its position into the form's fields, and
  // typing in the fields moves the marker.
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.querySelector("[data-pin-map]");
    if (!canvas || !window.L) return;
    var form = canvas.closest("form");
    var lat = form.querySelector("[name=latitude]");
    var lon = form.querySelector("[name=longitude]");
    if (!lat || !lon) return;
    var start = [parseFloat(canvas.dataset.lat), parseFloat(canvas.dataset.lon)];
    var map = L.map(canvas, { scrollWheelZoom: false }).setView(start, 15);
    L.tileLayer(canvas.dataset.tiles, {
      attribution: canvas.dataset.attribution,
      maxZoom: 19
    }).addTo(map);
    var label = canvas.dataset.markerLabel;
    var marker = L.marker(start, { draggable: true, title: label, alt: label }).addTo(map);
    function write(position) {
      lat.value = position.lat.toFixed(6);
      lon.value = position.lng.toFixed(6);
    }
    marker.on("dragend", function () {
      write(marker.getLatLng());
    });
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      write(event.latlng);
    });
    function read() {
      var typed = [parseFloat(lat.value), parseFloat(lon.value)];
      if (isNaN(typed[0]) || isNaN(typed[1])) return;
      marker.setLatLng(typed);
      map.panTo(typed);
    }
    lat.addEventListener("change", read);
    lon.addEventListener("change", read);
  });
})();
