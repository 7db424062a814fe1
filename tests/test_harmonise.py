"""The harmonised table on the real releases in ../shared/data, checked against the raw files."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow as pa

REQUIRED_COLUMNS = [
    "source",
    "release",
    "area_code",
    "area_code_published",
    "area_name",
    "geography_vintage",
    "period_kind",
    "period_start",
    "period_end",
    "measure",
    "measure_kind",
    "group",
    "age",
    "sex",
    "value",
    "lower",
    "upper",
    "status",
]

WEST_MIDLANDS = [
    "E06000019",
    "E06000020",
    "E06000021",
    "E06000051",
    *[f"E070001{n}" for n in range(92, 100)],
    *[f"E07000{n}" for n in range(218, 223)],
    *[f"E07000{n}" for n in range(234, 240)],
    *[f"E080000{n}" for n in range(25, 32)],
]


def test_schema_has_every_required_column(run):
    assert isinstance(run.observations, pa.Table)
    for column in REQUIRED_COLUMNS:
        assert column in run.observations.column_names, column
    assert run.observations.num_rows > 100_000


def test_every_data_file_is_in_the_audit_and_balances(run, data_dir: Path):
    audited = {f["path"]: f for f in run.audit["files"]}
    on_disk = {p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file()}
    assert on_disk == set(audited), on_disk ^ set(audited)
    for path, f in audited.items():
        assert f["rows_read"] == f["rows_used"] + f["rows_rejected"], path
        assert len(f["rejected"]) == f["rows_rejected"], path
        assert f["sha256"] == hashlib.sha256((data_dir / path).read_bytes()).hexdigest(), path
        for total in f["totals"]:
            assert total["balanced"] or total.get("note"), (path, total)


def test_suppressed_and_rounded_cells_are_intervals_not_zeros(obs):
    suppressed = obs[obs["status"] == "suppressed"]
    assert len(suppressed) > 0
    assert (suppressed["upper"] > suppressed["lower"]).all()
    rounded = obs[obs["status"] == "rounded"]
    assert len(rounded) > 0
    assert (rounded["lower"] <= rounded["upper"]).all()
    assert (
        (obs["lower"] <= obs["value"].fillna(obs["lower"]))
        & (obs["value"].fillna(obs["upper"]) <= obs["upper"])
    ).all()


def _raw_asy_total(data_dir: Path, date: str, accommodation: str | None = None) -> int:
    path = next((data_dir / "ho-asylum-support-by-la-asy-d11").glob("*.csv"))
    with path.open(newline="", encoding="utf-8-sig") as f:
        return sum(
            int(r["People"])
            for r in csv.DictReader(f)
            if r["Date"] == date
            and (accommodation is None or r["Accommodation Type"] == accommodation)
        )


def test_asylum_support_matches_the_raw_file_and_the_headline(obs, data_dir: Path):
    asy = obs[(obs["source"] == "ho_asy_d11") & (obs["period_end"].astype(str) == "2024-09-30")]
    assert asy["value"].sum() == _raw_asy_total(data_dir, "2024-09-30") == 109_024
    hotels = _raw_asy_total(data_dir, "2024-09-30", "Contingency Accommodation - Hotel")
    assert hotels == 35_651  # Home Office headline, end of September 2024


def test_census_birmingham(obs):
    ts012 = obs[(obs["source"].str.contains("ts012")) & (obs["area_code"] == "E08000025")]
    total = ts012[ts012["group"].isna() & (ts012["measure"] == "usual_residents")]
    assert total["value"].tolist() == [1_144_919]


def test_west_midlands_population_is_the_sum_of_its_30_districts(obs, run):
    bridge = migkit_bridge()
    assert bridge.members("E12000005") == WEST_MIDLANDS
    mye = obs[
        obs["source"].str.startswith("ons_mye2020")
        & (obs["measure"] == "population")
        & (obs["period_end"].astype(str) == "2020-06-30")
        & obs["age"].isna()
        & obs["sex"].isna()
    ]
    by_area = mye.drop_duplicates("area_code").set_index("area_code")["value"]
    assert by_area["E08000025"] == 1_140_525
    assert by_area["E12000005"] == 5_961_929
    assert by_area[WEST_MIDLANDS].sum() == by_area["E12000005"]


def migkit_bridge():
    from migkit.geography import Bridge

    return Bridge.from_data_dir()


def test_nothing_is_double_counted_between_a_file_and_its_copy(obs):
    # The West Midlands NINo file repeats 720 rows of the UK file: cross-checked, not emitted.
    nino = obs[(obs["measure"] == "nino_registrations") & (obs["area_code"] == "E08000025")]
    assert (nino.groupby("period_start").size() == 1).all()
    assert nino["value"].sum() == 365_005


def test_observations_round_trip_to_pandas_and_back(run):
    df = run.observations.to_pandas()
    back = pa.Table.from_pandas(df, preserve_index=False)
    assert back.num_rows == run.observations.num_rows
