"""Map data for the directory (compact cached bytes, GeoJSON, clusters)."""
