"""Rate smoothing (parity with esda.smoothing 2.9, run in the same test) and pressure against
policy thresholds (values hand-computed from the raw CSVs of the shared data).

Smoothing inputs: the 30 West Midlands districts; events = people on asylum support at
30 Sep 2024 (Home Office Asy_D11, all support and accommodation types; districts absent from the
table have none), base = ONS mid-2024 population (all ages), queen weights from the December 2021
boundaries.
"""

from __future__ import annotations

import csv
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import migkit
from migkit import hotspot
from migkit.weights import Weights

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

RTOL = 1e-10
BGC = "lad-boundaries-2021/lad_dec2021_bgc_west_midlands_and_neighbours.geojson"
ASY = "ho-asylum-support-by-la-asy-d11/asy_d11_asylum_support_by_la_2014q1_2024q3.csv"
MYE24 = "ons-mye-mid2024-la-age/mye24tablesew_MYE2_persons.csv"
MYE20 = "ons-mye-mid2020-la-age/MYE2_persons_single_year_of_age_mid2020.csv"
UASC = "dfe-cla-uasc-by-la-2011-2017/cla_uasc_31march_by_la_2011_2017.csv"
BIRMINGHAM, COVENTRY, DUDLEY = "E08000025", "E08000026", "E08000027"
# The 30 districts of the West Midlands region (E12000005).
WM = [
    "E06000019",
    "E06000020",
    "E06000021",
    "E06000051",
    *[f"E07000{k}" for k in range(192, 200)],
    *[f"E07000{k}" for k in range(218, 223)],
    *[f"E07000{k}" for k in range(234, 240)],
    *[f"E080000{k}" for k in range(25, 32)],
]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def wm_queen(data_dir: Path) -> Weights:
    fc = json.loads((data_dir / BGC).read_text(encoding="utf-8"))
    fc["features"] = [f for f in fc["features"] if f["properties"]["AREACD"] in WM]
    w = Weights.from_geojson(json.dumps(fc), "AREACD")
    assert sorted(w.ids) == sorted(WM)
    return w


@pytest.fixture(scope="module")
def events_base(obs, wm_queen: Weights) -> tuple[np.ndarray, np.ndarray]:
    """People on asylum support (30 Sep 2024) and mid-2024 population, in the order of the
    weights, from ``migkit.harmonise.load()``."""
    a = obs[
        (obs.measure == "people_on_asylum_support")
        & (obs.source == "ho_asy_d11")
        & (obs.period_end.astype(str) == "2024-09-30")
        & obs.area_code.isin(WM)
    ]
    p = obs[
        (obs.measure == "population")
        & (obs.source == "ons_mye2024")
        & obs.age.isna()
        & obs.sex.isna()
        & obs.area_code.isin(WM)
    ]
    people = a.groupby("area_code")["value"].sum().reindex(WM, fill_value=0.0)
    pop = p.groupby("area_code")["value"].sum()
    assert people[BIRMINGHAM] == 2476 and pop[BIRMINGHAM] == 1183618
    assert pop[COVENTRY] == 369026
    assert people.sum() == 11934  # West Midlands, 30 Sep 2024 (PROVENANCE.md)
    assert (people == 0).sum() == 4  # 26 of the 30 districts have someone on support
    return people.loc[wm_queen.ids].to_numpy(), pop.loc[wm_queen.ids].to_numpy()


def test_smoothing_matches_esda(events_base, wm_queen: Weights) -> None:
    e, b = events_base
    lw = quiet(wm_queen.to_libpysal)
    assert list(lw.id_order) == list(wm_queen.ids) and lw.id_order_set
    smoothing = esda.smoothing

    er = hotspot.eb_smooth(e, b, method="excess_risk")
    ref_er = quiet(smoothing.Excess_Risk, e, b).r.ravel()
    assert_allclose(er, ref_er, rtol=RTOL, atol=0)

    eb = hotspot.eb_smooth(e, b)
    ref_eb = quiet(smoothing.Empirical_Bayes, e, b).r.ravel()
    assert_allclose(eb, ref_eb, rtol=RTOL, atol=0)
    # with weights only naming the areas, the global method gives the same answer
    assert_allclose(hotspot.eb_smooth(e, b, wm_queen, method="global"), eb, rtol=0, atol=0)

    seb = hotspot.eb_smooth(e, b, wm_queen, method="spatial")
    ref_seb = quiet(smoothing.Spatial_Empirical_Bayes, e, b, lw).r.ravel()
    assert_allclose(seb, ref_seb, rtol=RTOL, atol=0)
    # the row-standardised weights give the same spatial result (esda ignores the transform)
    seb_r = hotspot.eb_smooth(e, b, wm_queen.transform("r"), method="spatial")
    assert_allclose(seb_r, seb, rtol=1e-14, atol=0)

    # Smoothing shrinks: the spread of EB rates is below that of the raw rates, and the
    # districts with nobody on support get a positive smoothed rate.
    raw = e / b
    assert eb.std() < raw.std()
    assert (eb[e == 0] > 0).all()
    # Birmingham's raw rate (2476 / 1,183,618) is hardly moved: its base is large.
    i = wm_queen.ids.index(BIRMINGHAM)
    assert abs(eb[i] - raw[i]) / raw[i] < 0.01


def test_smoothing_accepts_series_keyed_by_id(events_base, wm_queen: Weights) -> None:
    pd = pytest.importorskip("pandas")
    e, b = events_base
    es = pd.Series(e, index=wm_queen.ids)[::-1]
    bs = pd.Series(b, index=wm_queen.ids)[::-1]
    assert_allclose(
        hotspot.eb_smooth(es, bs, wm_queen, method="spatial"),
        hotspot.eb_smooth(e, b, wm_queen, method="spatial"),
        rtol=0,
        atol=0,
    )


def test_smoothing_bad_input_names_the_area(wm_queen: Weights) -> None:
    n = wm_queen.n
    e, b = np.ones(n), np.full(n, 100.0)
    bad = b.copy()
    bad[3] = 0.0
    with pytest.raises(migkit.InputError, match=wm_queen.ids[3]) as exc:
        hotspot.eb_smooth(e, bad, wm_queen, method="spatial")
    assert "zero" in str(exc.value)
    bad = e.copy()
    bad[5] = -1.0
    with pytest.raises(migkit.InputError, match=r"#5.*negative"):
        hotspot.eb_smooth(bad, b)
    bad[5] = np.nan
    with pytest.raises(migkit.InputError, match=r"events of area \"#5\" is NaN"):
        hotspot.eb_smooth(bad, b, method="excess_risk")
    with pytest.raises(migkit.InputError, match="base has 29 values but 30"):
        hotspot.eb_smooth(e, b[:-1], method="global")
    with pytest.raises(migkit.MigkitError, match="method"):
        hotspot.eb_smooth(e, b, method="kernel")
    with pytest.raises(migkit.MigkitError, match="weights"):
        hotspot.eb_smooth(e, b, method="spatial")


# -- pressure -------------------------------------------------------------------------------------


def asylum_people(data_dir: Path, code: str) -> int:
    rows = read_csv(data_dir / ASY)
    return sum(
        int(r["People"]) for r in rows if r["Date"] == "2024-09-30" and r["LAD Code"] == code
    )


def mye(data_dir: Path, rel: str, code: str, ages: range | None = None) -> int:
    row = next(r for r in read_csv(data_dir / rel) if r["Code"] == code)
    if ages is None:
        return int(row["All ages"])
    return sum(int(row[str(a)]) for a in ages)


def test_asylum_dispersal_pressure_birmingham_coventry(data_dir: Path) -> None:
    codes = [BIRMINGHAM, COVENTRY]
    people = [asylum_people(data_dir, c) for c in codes]
    pop = [mye(data_dir, MYE24, c) for c in codes]
    assert (people[0], pop[0]) == (2476, 1183618)
    p = hotspot.pressure(people, pop, "asylum_dispersal", date="2024-09-30", ids=codes)
    assert p.threshold["numerator"] == 1 and p.threshold["per"] == 200
    for k in range(2):
        rate = people[k] / pop[k]
        assert p.rate[k] == rate
        assert p.ratio[k] == pytest.approx(rate * 200, rel=1e-15)
        assert p.limit[k] == pop[k] / 200
        assert p.headroom[k] == math.floor(pop[k] / 200 - people[k])
        if people[k] * 200 >= pop[k]:
            expected = "at_or_above"
        elif people[k] * 200 >= 0.9 * pop[k]:
            expected = "approaching"
        else:
            expected = "below"
        assert p.status[k] == expected
    # Birmingham: 2,476 / 1,183,618 = 0.209 % (42 % of the limit); the limit is 5,918.09 people,
    # so 3,442 more before it.
    assert round(p.rate[0] * 100, 3) == 0.209
    assert p.headroom[0] == 3442
    assert p.status[0] == "below"
    # Coventry: 2,017 / 369,026 = 0.547 % of residents, above 1 in 200 (limit 1,845.13): 172 over.
    assert people[1] == 2017
    assert round(p.rate[1] * 100, 3) == 0.547
    assert p.headroom[1] == -172
    assert p.status[1] == "at_or_above"
    # Counting only dispersal accommodation (the cluster limit's own scope), Coventry has
    # 1,428 (Section 95) + 84 (Section 4) = 1,512: 0.41 %, 82 % of the limit, below the 10 % margin.
    dispersed = [
        sum(
            int(r["People"])
            for r in read_csv(data_dir / ASY)
            if r["Date"] == "2024-09-30"
            and r["LAD Code"] == c
            and r["Accommodation Type"] == "Dispersal Accommodation"
        )
        for c in codes
    ]
    assert dispersed[1] == 1512
    d = hotspot.pressure(dispersed, pop, ids=codes)
    assert list(d.status) == ["below", "below"]
    assert d.headroom[1] == math.floor(369026 / 200 - 1512) == 333
    df = p.to_pandas()
    assert list(df["id"]) == codes and df.loc[0, "headroom"] == 3442


def test_uasc_nts_pressure_from_dfe_2017(data_dir: Path) -> None:
    """DfE looked-after UASC at 31 March 2017 against 0.07 % of children aged 0-17.

    The child population is ONS mid-2020 (MYE2 persons, ages 0-17, 2021 geography): the nearest
    single-year-of-age table in the shared data to 2017 (there is no mid-2017 table), so the
    rate is approximate. Dudley's count is suppressed (``x``: 1-5, DfE metadata).
    """
    uasc = {
        r["new_geog_code"]: r["cla_uasc_31_march"]
        for r in read_csv(data_dir / UASC)
        if r["year_31_march"] == "2017" and r["geog_level"] == "LA"
    }
    codes = [BIRMINGHAM, COVENTRY, DUDLEY]
    assert (uasc[BIRMINGHAM], uasc[COVENTRY], uasc[DUDLEY]) == ("119", "39", "x")
    children = [mye(data_dir, MYE20, c, range(18)) for c in codes]
    assert children[0] == 286509  # PROVENANCE.md
    count = [119.0, 39.0, np.nan]
    lower = [119.0, 39.0, 1.0]
    upper = [119.0, 39.0, 5.0]
    p = hotspot.pressure(
        count,
        children,
        "uasc_nts",
        date="2017-03-31",
        count_lower=lower,
        count_upper=upper,
        ids=codes,
    )
    assert p.threshold["per"] == 10_000 and p.threshold["numerator"] == 7
    for k in range(2):
        limit = children[k] * 7 / 10_000
        assert p.rate[k] == count[k] / children[k]
        assert p.headroom[k] == math.floor(limit - count[k])
        assert p.limit[k] == pytest.approx(limit, rel=1e-15)
    # Birmingham: 119 of 286,509 children = 0.0415 %, below 0.07 % (limit 200.6): 81 more.
    assert p.status[0] == "below" and p.headroom[0] == 81
    # Dudley: suppressed, 1..5 children; rate unknown, interval far below the limit.
    assert math.isnan(p.rate[2]) and math.isnan(p.headroom[2])
    assert p.rate_lower[2] == 1 / children[2] and p.rate_upper[2] == 5 / children[2]
    assert p.status[2] == "below" and not p.threshold_in_interval[2]
    assert p.headroom_lower[2] == math.floor(children[2] * 7 / 10_000 - 5)
    # From 24 August 2022 the threshold is 0.1 %.
    later = hotspot.pressure([119], [children[0]], "uasc_nts", date="2022-08-24")
    assert later.threshold["per"] == 1000 and later.headroom[0] == math.floor(286.509 - 119)
    before = hotspot.pressure([119], [children[0]], "uasc_nts", date="2022-08-23")
    assert before.threshold["per"] == 10_000


def test_pressure_interval_straddling_the_threshold() -> None:
    # 40 rounded to the nearest 10 (35..44) in 8,000 residents: the limit is 40.
    p = hotspot.pressure([40], [8000], count_lower=[35], count_upper=[44])
    assert p.status[0] == "uncertain" and p.threshold_in_interval[0]
    assert (p.rate_lower[0], p.rate_upper[0]) == (35 / 8000, 44 / 8000)
    assert p.headroom[0] == 0 and p.headroom_lower[0] == -4
    # user-defined threshold as a proportion; margin
    p = hotspot.pressure([95, 80], [1000, 1000], threshold=0.1, margin=0.1)
    assert list(p.status) == ["approaching", "below"]
    assert p.threshold["source"] == "user-defined"


def test_thresholds_table_and_bad_input() -> None:
    rows = hotspot.thresholds()
    keys = {r["key"] for r in rows}
    assert keys == {"asylum_dispersal", "uasc_nts"}
    nts = sorted((r for r in rows if r["key"] == "uasc_nts"), key=lambda r: r["from"])
    assert [r["rate"] for r in nts] == [0.0007, 0.001]
    assert nts[0]["until"] == nts[1]["from"] == "2022-08-24"
    with pytest.raises(migkit.MigkitError, match="2016-07-01"):
        hotspot.pressure([1], [1000], "uasc_nts", date="2015-03-31")
    with pytest.raises(migkit.MigkitError, match="asylum_dispersal"):
        hotspot.pressure([1], [1000], "nonsense")
    with pytest.raises(migkit.InputError, match=r"E08000026.*zero"):
        hotspot.pressure([1, 2], [10, 0], ids=["E08000025", "E08000026"])
    with pytest.raises(migkit.InputError, match=r"#0.*NaN"):
        hotspot.pressure([np.nan], [10])
    with pytest.raises(migkit.MigkitError, match="not within"):
        hotspot.pressure([9], [1000], count_lower=[1], count_upper=[5])
