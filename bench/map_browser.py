"""First clustered render of the directory map in Chromium (issue 3).

Measured in the in-process step (bench.inprocess): the portal is served by a
thread of this process (Django's live-server thread, on the bench database),
Chromium (Debian's /usr/bin/chromium, through Playwright) opens /carte/ in a
fresh context each time, and map.js records in `data-rendered-ms` when every
marker has been clustered and the frame painted (ms since the navigation
started). Tiles are a blank image and every request leaving 127.0.0.1 is
refused, so the figure is the portal's page, data and scripts only.
"""

import shutil
import statistics

from django.conf import settings

BLANK_TILE = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
)
GOAL_MS = 1000
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def _start_server():
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", lambda handler: handler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def _render_once(browser, base_url) -> tuple[int, int]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith((base_url, "data:"))
                else route.abort()
            ),
        )
        page.goto(f"{base_url}/carte/")
        page.wait_for_selector("#project-map[data-rendered-ms]", timeout=30_000)
        box = page.locator("#project-map")
        return int(box.get_attribute("data-rendered-ms")), int(
            box.get_attribute("data-markers") or 0
        )
    finally:
        context.close()


def measure_map_first_render(quick) -> list[dict]:
    key = "map_first_render_chromium"
    goal = {"max_ms": GOAL_MS}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return [{"key": key, "goal": goal, "skipped": "chromium not installed"}]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [{"key": key, "goal": goal, "skipped": "playwright not installed"}]

    settings.MAP_TILE_URL = BLANK_TILE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = _start_server()
    base_url = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=LAUNCH_ARGS
            )
            try:
                _render_once(browser, base_url)  # warm the server's caches
                runs = [
                    _render_once(browser, base_url) for _ in range(2 if quick else 5)
                ]
            finally:
                browser.close()
    finally:
        server.terminate()
    median = statistics.median(ms for ms, _markers in runs)
    return [
        {
            "key": key,
            "value": round(median),
            "unit": "ms",
            "via": f"/carte/, {runs[0][1]} markers, fresh context, median of {len(runs)}",
            "goal": goal,
            "pass": median <= GOAL_MS,
        }
    ]
