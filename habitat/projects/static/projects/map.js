// Full-page and embedded map of the directory (/carte/, /carte/embed/).
// Reads its settings from data- attributes of #project-map; Leaflet and
// Leaflet.markercluster are loaded before this module (vendored files).

function stageLabels(element) {
  const labels = {};
  for (const pair of (element.dataset.stageLabels || "").split("|")) {
    const [key, label] = pair.split("=");
    if (key) labels[key] = label;
  }
  return labels;
}

function paragraph(text, className) {
  const p = document.createElement("p");
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

function popupContent(details, embed) {
  const box = document.createElement("div");
  box.className = "map-popup";
  const title = document.createElement("h3");
  const link = document.createElement("a");
  link.href = details.url;
  link.textContent = details.name;
  if (embed) link.target = "_top";
  title.append(link);
  box.append(title);
  if (details.commune) box.append(paragraph(details.commune, "map-popup-place"));
  const stages = [details.project_stage, details.group_stage].filter(Boolean);
  if (stages.length) box.append(paragraph(stages.join(" · "), "map-popup-stage"));
  if (details.short_description) box.append(paragraph(details.short_description));
  return box;
}

async function loadDetails(marker, detailUrl, embed) {
  const url = detailUrl.replace(/\/0\/$/, `/${marker.options.projectId}/`);
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    marker.setPopupContent(popupContent(await response.json(), embed));
  } catch (error) {
    marker.setPopupContent(paragraph("Impossible de charger ce projet pour le moment."));
  }
}

function projectMarker(point, labels, stages, detailUrl, embed) {
  const [id, lat, lng, stageIndex] = point;
  const stage = stages[stageIndex] || "";
  const marker = L.marker([lat, lng], {
    projectId: id,
    keyboard: true,
    title: labels[stage] || "Projet",
    alt: labels[stage] || "Projet",
  });
  marker.bindPopup(() => paragraph("Chargement…"));
  marker.on("popupopen", () => loadDetails(marker, detailUrl, embed));
  return marker;
}

async function initMap(element) {
  const embed = element.dataset.embed === "1";
  const map = L.map(element, { scrollWheelZoom: !embed }).setView([46.6, 2.5], 5);
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.tileAttribution,
    maxZoom: 18,
  }).addTo(map);

  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: 50,
  });
  const response = await fetch(element.dataset.pointsUrl, {
    headers: { Accept: "application/json" },
  });
  const data = await response.json();
  const labels = stageLabels(element);
  const markers = data.points.map((point) =>
    projectMarker(point, labels, data.stages, element.dataset.detailUrl, embed),
  );
  clusters.addLayers(markers);
  map.addLayer(clusters);
  if (window.location.search && markers.length) {
    map.fitBounds(clusters.getBounds(), { maxZoom: 11, padding: [20, 20] });
  }
  element.dataset.markers = String(markers.length);
  element.dataset.ready = "1";
  window.habitatProjectMap = { map, clusters, markers };
}

const element = document.getElementById("project-map");
if (element && window.L) {
  initMap(element).catch(() => {
    element.dataset.ready = "error";
    element.append(paragraph("La carte n'a pas pu être chargée ; la liste des projets reste disponible ci-dessous."));
  });
}
