"""What `make bench` drives, with the goals the feature issues name.

Each endpoint lists candidate paths: the first one answering 200 on the bench
portal is measured; none answering means "skipped: route not yet built".
Goals (all optional):
  min_ratio   requests/s at 32 clients over F_dj's, same run
  max_p99_ms  single-client p99
  max_p50_ms  single-client p50
  max_gzip_kb body size gzipped
  max_slowdown  ratio of p50 to another endpoint's p50 (``relative_to``)
"""

ENDPOINTS = [
    # Floors.
    {"key": "nginx", "server": "nginx", "paths": ["/floor.html"], "issue": 6},
    {"key": "F_dj", "paths": ["/_bench/floor"], "issue": 6},
    # Foundation.
    {"key": "home", "paths": ["/"], "issue": 1},
    {"key": "healthz", "paths": ["/healthz"], "issue": 1},
    # Directory (issue 3).
    {
        "key": "projects_list_2facets_uncached",
        "paths": [
            "/projets/?region=84&group_stage=seeking_residents",
            "/projets/?region=84&seeking_members=1",
        ],
        "bust": True,
        "issue": 3,
        "goal": {"min_ratio": 0.10, "max_p99_ms": 10},
    },
    {
        "key": "projects_list_cached_anon",
        "paths": ["/projets/"],
        "issue": 3,
        "goal": {"min_ratio": 0.50},
    },
    {
        "key": "projects_search",
        "paths": ["/projets/?q=habitat"],
        "bust": True,
        "issue": 3,
    },
    {
        "key": "map_data_compact",
        "paths": [
            "/api/v1/projects.map.json",
            "/api/v1/projects/map/points/",
        ],
        "issue": 3,
        "goal": {"min_ratio": 0.70, "max_gzip_kb": 60},
    },
    {
        "key": "projects_geojson",
        "paths": ["/api/v1/projects.geojson"],
        "issue": 3,
    },
    {"key": "projects_api", "paths": ["/api/v1/projects/"], "issue": 3},
    {
        "key": "map_page",
        "paths": ["/carte/"],
        "issue": 3,
    },
    # 100,000 projects (second portal on the "big" database).
    {
        "key": "projects_list_100k_uncached",
        "database": "big",
        "paths": [
            "/projets/?region=84&group_stage=seeking_residents",
            "/projets/?region=84&seeking_members=1",
        ],
        "bust": True,
        "issue": 3,
        "goal": {
            "max_slowdown": 2.0,
            "relative_to": "projects_list_2facets_uncached",
        },
    },
    {
        "key": "map_viewport_100k_uncached",
        "database": "big",
        "paths": [
            "/api/v1/projects/map/clusters/?bbox=2.0,45.0,6.0,47.0&zoom=8",
            "/api/v1/projects/clusters/?bbox=2.0,45.0,6.0,47.0&zoom=8",
        ],
        "bust": True,
        "issue": 3,
        "goal": {"max_p99_ms": 50, "max_gzip_kb": 10},
    },
    # Agenda (issue 4).
    {
        "key": "agenda_filtered_uncached",
        "paths": ["/agenda/?region=84&type=open-day", "/agenda/?region=84"],
        "bust": True,
        "issue": 4,
        "goal": {"min_ratio": 0.10},
    },
    {
        "key": "agenda_ics_cached",
        "paths": ["/agenda.ics?region=84", "/agenda.ics"],
        "issue": 4,
        "goal": {"max_p99_ms": 5},
    },
    {
        "key": "events_api_month",
        "paths": [
            "/api/v1/events/?start={month_start}&end={month_end}",
            "/api/v1/events/",
        ],
        "bust": True,
        "issue": 4,
        "goal": {"max_p50_ms": 100},
    },
    {"key": "agenda_rss", "paths": ["/agenda/rss/"], "issue": 4},
    # Ads and land (issue 5).
    {"key": "ads_list", "paths": ["/annonces/"], "bust": True, "issue": 5},
    {"key": "land_list", "paths": ["/foncier/"], "bust": True, "issue": 5},
    {"key": "ads_api", "paths": ["/api/v1/ads/"], "issue": 5},
    {"key": "land_offers_api", "paths": ["/api/v1/land-offers/"], "issue": 5},
    {"key": "land_map_data", "paths": ["/foncier/carte.json"], "issue": 5},
    {"key": "ads_rss", "paths": ["/annonces/rss/"], "issue": 5},
]
