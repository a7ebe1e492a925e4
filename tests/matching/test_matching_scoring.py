"""The score of a person and a group: table-driven cases and properties."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from habitat.matching import scoring
from habitat.matching.choices import Skill, Tenure, Timeline, Value
from habitat.matching.scoring import Group, Seeker

LYON_7 = (45.7458, 4.8426)
VILLEURBANNE = (45.7719, 4.8902)  # about 5 km from Lyon 7e
GRENOBLE = (45.1842, 5.7155)  # about 95 km

BASE_SEEKER = Seeker(
    points=(LYON_7,),
    radius_km=20,
    budget_purchase=250_000,
    budget_rent=700,
    tenures=frozenset({"cooperative"}),
    timeline="2y",
)
BASE_GROUP = Group(
    latitude=VILLEURBANNE[0],
    longitude=VILLEURBANNE[1],
    department="69",
    price_min=200_000,
    tenures=frozenset({"cooperative"}),
    timeline="2y",
)


def with_(base, **changes):
    return type(base)(**{**base.__dict__, **changes})


def labels(result):
    return {part.key: part.label for part in result.parts}


# (seeker, group, part, what the person reads, what the group reads, ok)
WORDINGS = [
    (
        BASE_SEEKER,
        BASE_GROUP,
        "territory",
        "à 5 km de votre zone",
        "souhaite habiter à 5 km de votre commune",
        True,
    ),
    (
        with_(BASE_SEEKER, departments=frozenset({"69"})),
        BASE_GROUP,
        "territory",
        "dans votre zone",
        "cherche dans votre département",
        True,
    ),
    (
        with_(BASE_SEEKER, points=(VILLEURBANNE,)),
        BASE_GROUP,
        "territory",
        "dans votre zone",
        "souhaite habiter dans votre commune",
        True,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "budget",
        "budget compatible",
        "budget compatible avec vos prix",
        True,
    ),
    (
        BASE_SEEKER,
        with_(BASE_GROUP, price_min=300_000),
        "budget",
        "budget un peu juste",
        "budget un peu inférieur à vos prix",
        False,
    ),
    (
        with_(BASE_SEEKER, budget_purchase=None, budget_rent=None),
        BASE_GROUP,
        "budget",
        "budget non comparable",
        "budget non comparable",
        True,
    ),
    (
        with_(BASE_SEEKER, tenures=frozenset({"ownership"})),
        with_(BASE_GROUP, tenures=frozenset({"social_rental"})),
        "tenure",
        "le groupe cherche en location sociale, vous en accession",
        "cherche en accession, vous proposez : location sociale",
        False,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "tenure",
        "le groupe propose ce que vous cherchez : coopérative",
        "cherche ce que vous proposez : coopérative",
        True,
    ),
    (
        with_(BASE_SEEKER, tenures=frozenset()),
        BASE_GROUP,
        "tenure",
        "statut d'occupation non précisé",
        "statut d'occupation non précisé",
        True,
    ),
    (
        with_(BASE_SEEKER, children=2),
        with_(BASE_GROUP, wants_children=True),
        "household",
        "le groupe recherche une famille avec enfants : c'est votre cas",
        "famille avec enfants : ce que vous recherchez",
        True,
    ),
    (
        BASE_SEEKER,
        with_(BASE_GROUP, wants_children=True),
        "household",
        "le groupe recherche une famille avec enfants",
        "sans enfant, vous recherchez une famille avec enfants",
        False,
    ),
    (
        with_(BASE_SEEKER, ages=(72,)),
        with_(BASE_GROUP, age_min=25, age_max=45),
        "household",
        "le groupe recherche des personnes de 25 à 45 ans",
        "hors des âges que vous recherchez (de 25 à 45 ans)",
        False,
    ),
    (
        with_(BASE_SEEKER, ages=(72,)),
        with_(BASE_GROUP, age_min=25, age_max=45, wants_children=True),
        "household",
        "le groupe recherche une famille avec enfants, de 25 à 45 ans",
        "sans enfant et hors des âges que vous recherchez (de 25 à 45 ans)",
        False,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "household",
        "votre foyer correspond",
        "son foyer correspond à ce que vous recherchez",
        True,
    ),
    (
        with_(BASE_SEEKER, values=frozenset({"ecology", "shared_meals"})),
        with_(BASE_GROUP, values=frozenset({"shared_meals", "culture"})),
        "values",
        "valeurs partagées : repas partagés",
        "valeurs partagées : repas partagés",
        True,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "values",
        "aucune valeur commune indiquée",
        "aucune valeur commune indiquée",
        False,
    ),
    (
        with_(BASE_SEEKER, skills=frozenset({"diy"})),
        with_(BASE_GROUP, skills_sought=frozenset({"diy", "law"})),
        "skills",
        "le groupe cherche ce que vous savez faire : bricolage, construction",
        "apporte ce que vous cherchez : bricolage, construction",
        True,
    ),
    (
        BASE_SEEKER,
        with_(BASE_GROUP, skills_sought=frozenset({"law"})),
        "skills",
        "le groupe cherche : droit",
        "n'apporte pas ce que vous cherchez : droit",
        False,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "skills",
        "pas de compétence recherchée",
        "vous ne cherchez pas de compétence particulière",
        True,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "timeline",
        "même calendrier",
        "même calendrier que le vôtre",
        True,
    ),
    (
        with_(BASE_SEEKER, timeline="later"),
        BASE_GROUP,
        "timeline",
        "le groupe emménage d'ici deux ans, vous plus tard",
        "souhaite emménager plus tard, votre groupe d'ici deux ans",
        False,
    ),
    (
        BASE_SEEKER,
        BASE_GROUP,
        "accessibility",
        "pas de besoin d'accessibilité",
        "pas de besoin d'accessibilité",
        True,
    ),
    (
        with_(BASE_SEEKER, needs_accessibility=True),
        with_(BASE_GROUP, accessible=True),
        "accessibility",
        "logements accessibles",
        "a besoin d'un logement accessible : vous en proposez",
        True,
    ),
    (
        with_(BASE_SEEKER, needs_accessibility=True),
        BASE_GROUP,
        "accessibility",
        "le groupe n'annonce pas de logement accessible",
        "a besoin d'un logement accessible, vous n'en annoncez pas",
        False,
    ),
]


@pytest.mark.parametrize(
    ("seeker", "group", "key", "for_person", "for_group", "ok"), WORDINGS
)
def test_each_part_is_explained_to_the_person_about_the_group(
    seeker, group, key, for_person, for_group, ok
):
    result = scoring.score(seeker, group, reader=scoring.PERSON)

    part = next(part for part in result.parts if part.key == key)
    assert (part.label, part.ok) == (for_person, ok)


@pytest.mark.parametrize(
    ("seeker", "group", "key", "for_person", "for_group", "ok"), WORDINGS
)
def test_each_part_is_explained_to_the_group_about_the_person(
    seeker, group, key, for_person, for_group, ok
):
    result = scoring.score(seeker, group, reader=scoring.GROUP)

    part = next(part for part in result.parts if part.key == key)
    assert (part.label, part.ok) == (for_group, ok)


def test_every_wording_has_a_sentence_for_each_reader():
    assert all(len(pair) == 2 and all(pair) for pair in scoring.WORDINGS.values())


@pytest.mark.parametrize(
    ("seeker", "group"),
    [
        (BASE_SEEKER, with_(BASE_GROUP, latitude=GRENOBLE[0], longitude=GRENOBLE[1])),
        (BASE_SEEKER, with_(BASE_GROUP, price_min=400_000)),
        (
            with_(BASE_SEEKER, budget_purchase=None, budget_rent=300),
            with_(BASE_GROUP, price_min=None, rent_min=650),
        ),
        (with_(BASE_SEEKER, points=()), BASE_GROUP),
    ],
    ids=["95 km away", "price far above", "rent far above", "no zone"],
)
def test_hard_constraint_excludes_the_pair(seeker, group):
    result = scoring.score(seeker, group)

    assert (result.excluded, result.score, result.parts) == (True, 0, ())


def test_perfect_pair_scores_100():
    seeker = with_(
        BASE_SEEKER,
        departments=frozenset({"69"}),
        children=1,
        values=frozenset({"ecology"}),
        skills=frozenset({"diy"}),
    )
    group = with_(
        BASE_GROUP,
        wants_children=True,
        values=frozenset({"ecology"}),
        skills_sought=frozenset({"diy"}),
    )

    assert scoring.score(seeker, group).score == 100


def test_closer_group_scores_higher():
    near = scoring.score(BASE_SEEKER, BASE_GROUP)
    far = scoring.score(
        BASE_SEEKER, with_(BASE_GROUP, latitude=45.86, longitude=4.84)
    )  # about 13 km

    assert (labels(far)["territory"], near.score > far.score) == (
        "à 13 km de votre zone",
        True,
    )


# Properties. The machine running the suite is shared: data generation may be
# slow under load, which says nothing about the code.

relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

latitudes = st.floats(min_value=41.0, max_value=51.5)
longitudes = st.floats(min_value=-5.0, max_value=9.5)
points = st.tuples(latitudes, longitudes)
budgets = st.one_of(st.none(), st.integers(min_value=0, max_value=2_000_000))
rents = st.one_of(st.none(), st.integers(min_value=0, max_value=5_000))
tenure_sets = st.frozensets(st.sampled_from(Tenure.values))
value_sets = st.frozensets(st.sampled_from(Value.values))
skill_sets = st.frozensets(st.sampled_from(Skill.values))
timelines = st.sampled_from([*Timeline.values, ""])
departments = st.frozensets(st.sampled_from(["69", "38", "35", "75"]), max_size=2)

seekers = st.builds(
    Seeker,
    points=st.lists(points, max_size=3).map(tuple),
    departments=departments,
    radius_km=st.integers(min_value=0, max_value=200),
    adults=st.integers(min_value=1, max_value=4),
    children=st.integers(min_value=0, max_value=4),
    ages=st.lists(st.integers(min_value=0, max_value=100), max_size=5).map(tuple),
    budget_purchase=budgets,
    budget_rent=rents,
    tenures=tenure_sets,
    timeline=timelines,
    values=value_sets,
    skills=skill_sets,
    needs_accessibility=st.booleans(),
)
groups = st.builds(
    Group,
    latitude=latitudes,
    longitude=longitudes,
    department=st.sampled_from(["69", "38", "35", "75", ""]),
    price_min=budgets,
    rent_min=rents,
    tenures=tenure_sets,
    timeline=timelines,
    values=value_sets,
    wants_children=st.booleans(),
    age_min=st.one_of(st.none(), st.integers(min_value=18, max_value=50)),
    age_max=st.one_of(st.none(), st.integers(min_value=50, max_value=99)),
    skills_sought=skill_sets,
    accessible=st.booleans(),
)


@relaxed
@given(seekers, groups)
def test_points_alone_equal_the_explained_score(seeker, group):
    result = scoring.score(seeker, group)

    expected = None if result.excluded else result.score
    assert scoring.points(seeker, group) == expected


@relaxed
@given(seekers, groups)
def test_both_readers_see_the_same_score_and_the_same_verdicts(seeker, group):
    for_person = scoring.score(seeker, group, reader=scoring.PERSON)
    for_group = scoring.score(seeker, group, reader=scoring.GROUP)

    assert (for_person.score, for_person.excluded) == (
        for_group.score,
        for_group.excluded,
    )
    assert [(p.key, p.points, p.ok) for p in for_person.parts] == [
        (p.key, p.points, p.ok) for p in for_group.parts
    ]


@relaxed
@given(seekers, groups)
def test_score_stays_within_0_and_100(seeker, group):
    result = scoring.score(seeker, group)

    assert 0 <= result.score <= 100
    assert all(0 <= part.points <= scoring.WEIGHTS[part.key] for part in result.parts)
    assert result.excluded or len(result.parts) == len(scoring.PARTS)


@relaxed
@given(points, points)
def test_distance_is_symmetric(a, b):
    assert scoring.distance_km(a, b) == pytest.approx(scoring.distance_km(b, a))


@relaxed
@given(value_sets, value_sets)
def test_shared_values_are_symmetric(a, b):
    assert scoring.shared(a, b) == scoring.shared(b, a)
    assert 0 <= scoring.shared(a, b) <= 1


@relaxed
@given(seekers, groups)
def test_values_part_scores_the_same_whichever_side_holds_which_set(seeker, group):
    swapped_seeker = with_(seeker, values=group.values)
    swapped_group = with_(group, values=seeker.values)

    assert (
        scoring.values_part(seeker, group).points
        == scoring.values_part(swapped_seeker, swapped_group).points
    )


@relaxed
@given(seekers, groups, st.floats(min_value=1.0, max_value=50.0))
def test_group_outside_zone_and_departments_is_always_excluded(seeker, group, margin):
    seeker = with_(seeker, departments=frozenset(), points=seeker.points or (LYON_7,))
    nearest = min(
        scoring.distance_km(point, (group.latitude, group.longitude))
        for point in seeker.points
    )
    assume(nearest > margin)
    seeker = with_(seeker, radius_km=int(nearest - margin))

    assert scoring.score(seeker, group).excluded


@relaxed
@given(seekers, groups)
def test_budget_far_below_the_lowest_price_always_excludes(seeker, group):
    group = with_(group, price_min=500_000, rent_min=None)
    seeker = with_(seeker, budget_purchase=100_000, budget_rent=None)

    assert scoring.score(seeker, group).excluded


@relaxed
@given(seekers, groups)
def test_bounding_box_contains_every_point_within_the_radius(seeker, group):
    for lat, lng in seeker.points:
        box = scoring.bounding_box(lat, lng, seeker.radius_km)
        distance = scoring.distance_km((lat, lng), (group.latitude, group.longitude))
        if distance <= seeker.radius_km:
            assert box[0] <= group.latitude <= box[1]
            assert box[2] <= group.longitude <= box[3]
