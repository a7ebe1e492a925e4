import shapely
from shapely.geometry import box

from habitat.territories.geodata import _outline


def hex_of(geometry):
    return shapely.to_wkb(geometry, hex=True)


def test_adjacent_communes_merge_into_one_outline_without_islets():
    communes = [box(4.0, 45.0, 4.1, 45.1), box(4.1, 45.0, 4.2, 45.1)]
    islet = box(5.0, 45.0, 5.0001, 45.0001)

    outline = _outline([hex_of(shape) for shape in communes + [islet]])

    assert outline["type"] == "Polygon"
    assert shapely.geometry.shape(outline).bounds == (4.0, 45.0, 4.2, 45.1)


def test_a_departement_with_big_islands_keeps_them():
    mainland = box(-3.0, 47.0, -2.0, 48.0)
    island = box(-3.3, 47.2, -3.1, 47.4)

    outline = _outline([hex_of(mainland), hex_of(island)])

    assert outline["type"] == "MultiPolygon"
    assert len(outline["coordinates"]) == 2


def test_no_geometry_gives_no_outline():
    assert _outline([]) is None
