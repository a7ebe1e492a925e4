import pytest

from habitat.territories.search import normalise_postal_code, search_communes

pytestmark = pytest.mark.django_db


def first_codes(query, count=1):
    return [commune.insee for commune in search_communes(query)[:count]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1300", ("01300", True)),
        ("13013", ("13013", False)),
        (" 01300 ", ("01300", False)),
        ("01 300", ("01300", False)),
        (1300, ("01300", True)),
        ("1300.0", ("01300", True)),
        ("97400", ("97400", False)),
        ("", (None, False)),
        (None, (None, False)),
        ("130", (None, False)),
        ("130130", (None, False)),
        ("abcde", (None, False)),
        ("00123", (None, False)),
        ("12a45", (None, False)),
    ],
)
def test_normalise_postal_code(raw, expected):
    assert normalise_postal_code(raw) == expected


@pytest.mark.parametrize(
    "query",
    ["st etienne", "saint etienne", "Saint-Étienne", "ST ETIENNE", "st-etienne"],
)
def test_saint_etienne_comes_first_however_typed(query):
    assert first_codes(query) == ["42218"]


@pytest.mark.parametrize("query", ["l isle d abeau", "L'Isle-d'Abeau", "isle d abeau"])
def test_name_without_apostrophes_finds_l_isle_d_abeau(query):
    assert first_codes(query) == ["38193"]


def test_word_inside_the_name_finds_the_commune():
    assert "38193" in first_codes("abeau", 5)


def test_ste_expands_to_sainte():
    assert first_codes("ste maxime") == ["83115"]


def test_four_digit_postal_code_finds_belley_first():
    results = list(search_communes("1300"))

    assert results[0].insee == "01034"
    assert all("01300" in commune.postal_code_list for commune in results)


def test_postal_code_lists_its_communes_before_the_same_insee_code():
    codes = [commune.insee for commune in search_communes("26150")]

    assert "26113" in codes
    assert codes[-1] == "26150"
    assert all(
        "26150" in commune.postal_code_list
        for commune in search_communes("26150")[: len(codes) - 1]
    )


def test_arrondissement_postal_code_finds_the_arrondissement():
    assert first_codes("69007") == ["69387"]
    assert first_codes("75020") == ["75120"]
    assert first_codes("13013") == ["13213"]


def test_insee_code_finds_the_commune():
    assert first_codes("2A004") == ["2A004"]
    assert first_codes("2a004") == ["2A004"]
    assert first_codes("69387") == ["69387"]


def test_homonyms_are_both_found_with_their_departement():
    results = [str(commune) for commune in search_communes("saint denis", limit=2)]

    assert sorted(results) == ["Saint-Denis (93)", "Saint-Denis (974)"]


def test_label_with_departement_picks_the_homonym():
    assert first_codes("Saint-Denis (93)") == ["93066"]
    assert first_codes("Saint-Denis (974)", 5) == ["97411"]


def test_exact_name_ranks_before_longer_names():
    results = list(search_communes("lyon", limit=3))

    assert [commune.insee for commune in results][:1] == ["69123"]
    assert all(commune.search_name.startswith("lyon") for commune in results)


def test_name_and_postal_code_together_narrow_the_search():
    assert first_codes("saint denis 97400", 5) == ["97411"]


@pytest.mark.parametrize("query", ["", " ", "a", "-", "'", "12", "zzzzqqq"])
def test_empty_short_or_unknown_query_finds_nothing(query):
    assert list(search_communes(query)) == []


def test_limit_caps_the_results():
    assert len(search_communes("saint", limit=7)) == 7


def test_search_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(search_communes("st etienne"))


def test_four_digit_insee_code_that_lost_its_zero_finds_the_commune():
    assert first_codes("1034", 5) == ["01034"]


def test_departement_label_finds_communes_beyond_the_national_top():
    results = list(search_communes("saint (93)"))

    assert [commune.department_id for commune in results] == ["93"] * len(results)
    assert "93070" in [commune.insee for commune in results]


def test_exact_small_commune_ranks_before_bigger_prefixes():
    assert first_codes("bourg") == ["33067"]
