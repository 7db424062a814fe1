"""Country and client-group classifications on the categories the releases actually publish."""

from __future__ import annotations

import csv

import pytest

from migkit import groups

EU8 = [
    "Czech Republic",
    "Estonia",
    "Hungary",
    "Latvia",
    "Lithuania",
    "Poland",
    "Slovakia",
    "Slovenia",
]
EU14 = [
    "Austria", "Belgium", "Denmark", "Finland", "France", "Germany", "Greece", "Ireland", "Italy",
    "Luxembourg", "Netherlands", "Portugal", "Spain", "Sweden",
]  # fmt: skip


@pytest.mark.parametrize("country", EU8)
def test_eu8(country):
    assert groups.country_group(country) == "eu8"


@pytest.mark.parametrize("country", EU14)
def test_eu14(country):
    assert groups.country_group(country) == "eu14"


def test_every_published_nationality_is_classified(data_dir):
    path = (
        data_dir
        / "nino-registrations-statxplore-uk-la-calendar-year"
        / "national_top_nationalities_by_year.csv"
    )
    with path.open(newline="", encoding="utf-8") as f:
        names = [row["nationality"] for row in csv.DictReader(f)]
    unclassified = [n for n in names if groups.country_group(n) is None]
    assert names and not unclassified


def test_every_home_office_category_in_the_table_has_a_client_group_or_is_not_one(obs):
    home_office = obs[obs["source"].str.startswith("ho_")]
    combos = home_office[["source", "measure", "group"]].drop_duplicates()
    known = {name for name, _, _ in groups.CLIENT_GROUPS}
    # Denominators and published totals across groups are not client groups.
    not_client_groups = {"population", "share_of_population", "all_three_pathways_total"}
    missing = []
    for source, measure, group in combos.itertuples(index=False):
        group = None if group is None or group != group else group
        result = groups.client_group(source, measure, group)
        if result is None and measure not in not_client_groups:
            missing.append((source, measure, group))
        assert result is None or result in known
    assert not missing, missing[:10]


def test_client_group_hierarchy():
    parents = {name: parent for name, parent, _ in groups.CLIENT_GROUPS}
    assert parents["asylum_seekers_dispersal"] == "asylum_seekers"
    assert groups.client_group("ho_res_d01", "resettled_refugees", "ACRS Pathway 1") == (
        "afghan_schemes"
    )
