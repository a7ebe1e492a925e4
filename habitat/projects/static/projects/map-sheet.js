// Small map of one project sheet. Markup expected:
// <div class="map map-sheet" data-lat="45.1" data-lng="5.2"
//      data-tile-url="{{ tile_url }}" data-tile-attribution="{{ attribution }}"
//      data-label="Nom du projet"></div>
// Load after vendor/leaflet/leaflet.js (defer) with type="module".

for (const element of document.querySelectorAll(".map[data-lat][data-lng]")) {
  const lat = Number(element.dataset.lat);
  const lng = Number(element.dataset.lng);
  if (!window.L || !Number.isFinite(lat) || !Number.isFinite(lng)) continue;
  // Leaflet needs a height; set through the CSSOM (allowed by the CSP) when
  // the page's stylesheet gives none.
  if (element.clientHeight === 0) element.style.height = "18rem";
  const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 11);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution || "",
      maxZoom: 18,
    }).addTo(map);
  }
  L.marker([lat, lng], {
    keyboard: false,
    title: element.dataset.label || "",
    alt: element.dataset.label || "",
  }).addTo(map);
  element.dataset.ready = "1";
}
