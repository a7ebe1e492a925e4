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

function projectMarker(point, labels, stages) {
  const [id, lat, lng, stageIndex] = point;
  const stage = stages[stageIndex] || "";
  return L.marker([lat, lng], {
    projectId: id,
    keyboard: true,
    title: labels[stage] || "Projet",
    alt: labels[stage] || "Projet",
  });
}

// The popup is made when a marker is first opened (click or Enter): making
// 5,000 popups up front would slow the first render.
function openDetails(marker, detailUrl, embed) {
  if (!marker.getPopup()) {
    marker.bindPopup(paragraph("Chargement…"));
    marker.on("popupopen", () => loadDetails(marker, detailUrl, embed));
  }
  marker.openPopup();
}

function baseMap(element, embed) {
  // Zooms 0 and 1 show the world smaller than a screen: not clustering for
  // them keeps the first render of thousands of markers short.
  const map = L.map(element, { scrollWheelZoom: !embed, minZoom: 2 }).setView([46.6, 2.5], 5);
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.tileAttribution,
    maxZoom: 18,
  }).addTo(map);
  return map;
}

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

// Once every marker is clustered and painted, record when (ms since the
// navigation started): `make bench` reads data-rendered-ms.
function markRendered(element) {
  requestAnimationFrame(() => {
    element.dataset.renderedMs = String(Math.round(performance.now()));
  });
}

async function initMap(element) {
  const embed = element.dataset.embed === "1";
  const map = baseMap(element, embed);
  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    chunkProgress: (processed, total) => {
      if (processed === total) markRendered(element);
    },
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: 50,
  });
  const data = await fetchJson(element.dataset.pointsUrl);
  const labels = stageLabels(element);
  const markers = data.points.map((point) => projectMarker(point, labels, data.stages));
  clusters.on("click", (event) => openDetails(event.layer, element.dataset.detailUrl, embed));
  clusters.addLayers(markers);
  map.addLayer(clusters);
  if (!markers.length) markRendered(element);
  if (window.location.search && markers.length) {
    map.fitBounds(clusters.getBounds(), { maxZoom: 11, padding: [20, 20] });
  }
  element.dataset.markers = String(markers.length);
  element.dataset.ready = "1";
  window.habitatProjectMap = { map, clusters, markers };
}

// Very large directories: the server clusters each viewport.
function clusterIcon(count) {
  const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
  return L.divIcon({
    html: `<div><span>${count}</span></div>`,
    className: `marker-cluster marker-cluster-${size}`,
    iconSize: L.point(40, 40),
  });
}

async function initServerClusters(element) {
  const embed = element.dataset.embed === "1";
  const map = baseMap(element, embed);
  const layer = L.layerGroup().addTo(map);
  const labels = stageLabels(element);
  let request = 0;

  async function refresh() {
    const bounds = map.getBounds();
    const bbox = [
      Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -90),
      Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 90),
    ].map((value) => value.toFixed(4)).join(",");
    const current = ++request;
    const data = await fetchJson(`${element.dataset.clustersUrl}?bbox=${bbox}&zoom=${map.getZoom()}`);
    if (current !== request) return;
    layer.clearLayers();
    for (const [lat, lng, count] of data.clusters) {
      const marker = L.marker([lat, lng], {
        icon: clusterIcon(count),
        keyboard: true,
        title: `${count} projets`,
      });
      marker.on("click", () => map.setView([lat, lng], Math.min(map.getZoom() + 2, 18)));
      layer.addLayer(marker);
    }
    for (const point of data.points) {
      const marker = projectMarker(point, labels, data.stages);
      marker.on("click", () => openDetails(marker, element.dataset.detailUrl, embed));
      layer.addLayer(marker);
    }
    element.dataset.markers = String(data.total);
    element.dataset.ready = "1";
  }

  map.on("moveend", () => refresh().catch(() => {}));
  await refresh();
  window.habitatProjectMap = { map, layer };
}

const element = document.getElementById("project-map");
if (element && window.L) {
  const start = element.dataset.mode === "clusters" ? initServerClusters : initMap;
  start(element).catch(() => {
    element.dataset.ready = "error";
    element.append(paragraph("La carte n'a pas pu être chargée ; la liste des projets reste disponible ci-dessous."));
  });
}
