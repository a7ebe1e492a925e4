// Map of the land offers on /foncier/: reads its settings from data- attributes.
const container = document.querySelector("#land-map");

function popup(properties) {
  const wrapper = document.createElement("div");
  const link = document.createElement("a");
  link.href = properties.url;
  link.textContent = properties.title;
  const meta = document.createElement("p");
  meta.textContent = properties.commune + (properties.surface ? ` · ${properties.surface} m²` : "");
  wrapper.append(link, meta);
  return wrapper;
}

async function start() {
  const L = window.L;
  if (!container || !L) return;
  const map = L.map(container).setView([46.6, 2.4], 5);
  L.tileLayer(container.dataset.tileUrl, {
    attribution: container.dataset.tileAttribution,
    maxZoom: 18,
  }).addTo(map);
  const response = await fetch(container.dataset.geojsonUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const data = await response.json();
  const layer = L.geoJSON(data, {
    onEachFeature: (feature, marker) => marker.bindPopup(popup(feature.properties)),
  }).addTo(map);
  if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 11, padding: [20, 20] });
  container.dataset.ready = String(data.features.length);
}

start();
