// Event sheet: a Leaflet map with tiles (like the project sheet); the tile
// URL comes from settings.MAP_TILE_URL through data-tile-url. Markup:
// <div id="event-map" data-lat data-lng data-label data-tile-url data-tile-attribution>
// Load after vendor/leaflet/leaflet.js (defer) with type="module".
// Open-days page: places as dots on a light SVG map (no tiles, no third party).
const SVG = "http://www.w3.org/2000/svg";
const BOUNDS = { west: -5.5, east: 9.8, south: 41.2, north: 51.2 };

function project(lat, lon, width, height) {
  const x = ((lon - BOUNDS.west) / (BOUNDS.east - BOUNDS.west)) * width;
  const y = ((BOUNDS.north - lat) / (BOUNDS.north - BOUNDS.south)) * height;
  return [x, y];
}

function draw(container, points) {
  const width = 400;
  const height = 300;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("aria-hidden", "true");
  for (const point of points) {
    if (typeof point.lat !== "number" || typeof point.lon !== "number") continue;
    const [x, y] = project(point.lat, point.lon, width, height);
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", String(Math.max(4, Math.min(width - 4, x))));
    dot.setAttribute("cy", String(Math.max(4, Math.min(height - 4, y))));
    dot.setAttribute("r", "5");
    dot.setAttribute("class", "map-dot");
    const title = document.createElementNS(SVG, "title");
    title.textContent = point.title || "";
    dot.appendChild(title);
    svg.appendChild(dot);
  }
  container.replaceChildren(svg);
}

function tiled(element) {
  const lat = Number(element.dataset.lat);
  const lng = Number(element.dataset.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return;
  if (!window.L) {
    // Leaflet missing (blocked or failed): still show where it is.
    draw(element, [{ lat, lon: lng, title: element.dataset.label }]);
    return;
  }
  const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 12);
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

const single = document.getElementById("event-map");
if (single) tiled(single);
const many = document.getElementById("open-days-map");
const data = document.getElementById("open-days-points");
if (many && data) {
  draw(many, JSON.parse(data.textContent));
}
