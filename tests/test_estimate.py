"""migkit.estimate against its peers on the same inputs, in the same test.

Peers: pymannkendall 1.4.3 (Mann-Kendall tests, Sen's slope), scipy 1.17 (`chi2.ppf` for the
Garwood interval, `theilslopes` for the interval of Sen's slope), statsmodels 0.15
(`proportion_confint`, Wilson and Clopper-Pearson) and an independent NumPy IPF written here
after migest's `ipf2`/`ipf3` (https://github.com/guyabel/migest, R/ipf2.R and R/ipf3.R).
Real series: DWP NINo registrations to adult overseas nationals, 30 West Midlands local
authorities, calendar years 2002-2025, and ONS mid-2024 population estimates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pymannkendall as mk
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.tsa.statespace.structural import UnobservedComponents

import migkit
from migkit import estimate

RTOL = 1e-9

NINO_WM = (
    "nino-registrations-statxplore-wm-calendar-year/"
    "nino_registrations_wm_la_calendar_year_2002_2025.csv"
)
MYE_2024 = "ons-mye-mid2024-la-age/mye24tablesew_MYE2_persons.csv"
TS012 = "census2021-country-of-birth-ts012-ltla/census2021_ts012_country_of_birth_ltla21_long.csv"


@pytest.fixture(scope="module")
def nino(data_dir) -> pd.DataFrame:
    """NINo registrations as a (local authority x year) table."""
    frame = pd.read_csv(data_dir / NINO_WM)
    assert not frame.duplicated(["la_code", "calendar_year"]).any()
    table = frame.pivot_table(
        index="la_code", columns="calendar_year", values="nino_registrations", aggfunc="sum"
    )
    assert table.shape == (30, 24)
    # Sanity figures from the folder's PROVENANCE.md.
    assert table.loc["E08000025", 2023] == 35_112
    assert table[2007].sum() == 47_384
    return table.astype(float)


@pytest.fixture(scope="module")
def adults_2024(data_dir, nino) -> pd.Series:
    """ONS mid-2024 population aged 16+ of the 30 West Midlands authorities."""
    mye = pd.read_csv(data_dir / MYE_2024, encoding="utf-8-sig").set_index("Code")
    ages = [str(a) for a in range(16, 90)] + ["90+"]
    adults = mye.loc[nino.index, ages].apply(pd.to_numeric).sum(axis=1)
    assert mye.loc["E08000025", "All ages"] == 1_183_618  # PROVENANCE.md
    assert adults["E08000025"] == 924_423  # PROVENANCE.md: Birmingham aged 16+
    return adults.astype(float)


# --- rates -----------------------------------------------------------------------------------


def test_garwood_rates_match_scipy_chi2(nino, adults_2024):
    counts = nino[2024].to_numpy()
    pop = adults_2024.to_numpy()
    r = estimate.rate(counts, pop, per=1_000, method="garwood", vintage="ONS mid-2024")
    lower = np.where(counts > 0, stats.chi2.ppf(0.025, 2 * counts) / 2, 0.0) / pop * 1_000
    upper = stats.chi2.ppf(0.975, 2 * counts + 2) / 2 / pop * 1_000
    assert_allclose(r.rate, counts / pop * 1_000, rtol=RTOL)
    assert_allclose(r.lower, lower, rtol=RTOL)
    assert_allclose(r.upper, upper, rtol=RTOL)
    assert r.vintage == "ONS mid-2024"
    frame = r.to_pandas()
    assert len(frame) == 30 and (frame["lower"] < frame["rate"]).all()


@pytest.mark.parametrize(("method", "peer"), [("wilson", "wilson"), ("clopper_pearson", "beta")])
def test_binomial_rates_match_statsmodels(nino, adults_2024, method, peer):
    counts = nino[2024].to_numpy()
    pop = adults_2024.to_numpy()
    r = estimate.rate(counts, pop, per=100, method=method)
    lo, hi = proportion_confint(counts, pop, alpha=0.05, method=peer)
    assert_allclose(r.lower, np.asarray(lo) * 100, rtol=RTOL)
    assert_allclose(r.upper, np.asarray(hi) * 100, rtol=RTOL)
    # and for small counts, where the methods differ most
    small = np.array([0.0, 1.0, 3.0, 17.0])
    r = estimate.rate(small, 40.0, per=1, method=method, alpha=0.1)
    lo, hi = proportion_confint(small, 40, alpha=0.1, method=peer)
    assert_allclose(r.lower, lo, rtol=RTOL, atol=1e-15)
    assert_allclose(r.upper, hi, rtol=RTOL)


def test_rounded_and_suppressed_counts_widen_the_interval(nino, adults_2024):
    counts = nino[2024].to_numpy()
    pop = adults_2024.to_numpy()
    # to the nearest 10, halves up, as DWP's gov.uk tables publish them (np.round rounds halves
    # to even, which Interval::rounded does not model)
    published = np.floor(counts / 10 + 0.5) * 10
    exact = estimate.rate(counts, pop, per=10_000)
    rounded = estimate.rate(published, pop, per=10_000, rounding=10)
    assert np.all(rounded.count_lower <= counts) and np.all(counts <= rounded.count_upper)
    assert np.all(rounded.lower <= exact.lower) and np.all(exact.upper <= rounded.upper)
    # the union of the intervals at the count bounds: lower at count - 5, upper at count + 4
    lower = np.where(published - 5 > 0, stats.chi2.ppf(0.025, 2 * (published - 5)) / 2, 0.0)
    assert_allclose(rounded.lower, lower / pop * 10_000, rtol=RTOL)
    assert_allclose(
        rounded.upper, stats.chi2.ppf(0.975, 2 * (published + 4) + 2) / 2 / pop * 10_000, rtol=RTOL
    )
    # a suppressed cell (fewer than 5) in a population of 2,000
    s = estimate.rate(0, 2_000, per=1_000, count_upper=4)
    assert s.lower == 0.0
    assert_allclose(s.upper, stats.chi2.ppf(0.975, 10) / 2 / 2, rtol=RTOL)


def test_rounding_and_bounds_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        estimate.rate(40, 1_000, rounding=10, count_upper=44)


def test_garwood_worked_value():
    r = estimate.rate(10, 1, per=1)
    assert round(r.lower, 3) == 4.795 and round(r.upper, 3) == 18.390


# --- change ------------------------------------------------------------------------------------


def test_fold_change_and_growth_on_real_series(nino):
    start, end = nino[2002], nino[2007]
    # South Staffordshire (E07000196) registered 0 in 2002: its fold change is undefined
    assert start["E07000196"] == 0
    with pytest.raises(migkit.ParameterError, match="fold change is undefined"):
        estimate.change(start["E07000196"], end["E07000196"])
    fold = (end / start)[start > 0]
    top = fold.idxmax()
    c = estimate.change(start[top], end[top], years=5)
    assert_allclose(c.fold, (fold[top], fold[top]), rtol=1e-12)
    assert_allclose(c.absolute, (end[top] - start[top],) * 2)
    assert c.annual_growth is not None
    assert_allclose(c.annual_growth[0], fold[top] ** (1 / 5) - 1, rtol=1e-12)
    # with figures rounded to 10 the claim becomes a range that still holds the true fold
    s10, e10 = math.floor(start[top] / 10 + 0.5) * 10, math.floor(end[top] / 10 + 0.5) * 10
    cr = estimate.change((s10 - 5, s10 + 4), (e10 - 5, e10 + 4))
    assert cr.fold[0] <= fold[top] <= cr.fold[1]


def test_share_of_region_and_rank_of_growth(nino):
    region = nino[2023].sum()
    assert region == 103_964  # PROVENANCE.md
    lo, hi = estimate.share(nino.loc["E08000025", 2023], region)
    assert lo == hi == pytest.approx(35_112 / 103_964, rel=1e-12)
    ranks = estimate.rank_growth(nino[2002].to_numpy(), nino[2007].to_numpy())
    # pandas ranks the infinite fold of South Staffordshire (0 -> 65) first, as migkit does
    expected = (nino[2007] / nino[2002]).rank(ascending=False, method="min").to_numpy()
    assert np.isinf((nino[2007] / nino[2002])["E07000196"])
    assert_allclose(ranks.rank, expected)
    assert np.array_equal(ranks.rank, ranks.best) and np.array_equal(ranks.rank, ranks.worst)
    # rounding to 10 makes ranks uncertain but the ranges still hold the exact ranks
    s = np.floor(nino[2002].to_numpy() / 10 + 0.5) * 10
    e = np.floor(nino[2007].to_numpy() / 10 + 0.5) * 10
    rr = estimate.rank_growth(
        np.maximum(s - 5, 0), np.maximum(e - 5, 0), start_upper=s + 4, end_upper=e + 4
    )
    assert np.all(rr.best <= expected) and np.all(expected <= rr.worst)


# --- trend tests -----------------------------------------------------------------------------

PEERS = {
    "original": mk.original_test,
    "hamed_rao": mk.hamed_rao_modification_test,
    "yue_wang": mk.yue_wang_modification_test,
}


@pytest.mark.parametrize("method", list(PEERS))
def test_mann_kendall_matches_pymannkendall_on_every_wm_authority(nino, method):
    trends = set()
    for code, series in nino.iterrows():
        y = series.to_numpy()
        ours = estimate.mann_kendall(y, method=method)
        peer = PEERS[method](y)
        assert ours.trend == peer.trend, code
        assert ours.h == bool(peer.h), code
        assert ours.s == peer.s, code
        assert_allclose(ours.var_s, peer.var_s, rtol=RTOL, err_msg=code)
        assert_allclose(ours.z, peer.z, rtol=RTOL, err_msg=code)
        # pymannkendall computes 2 * (1 - cdf(|z|)), which loses digits below ~1e-16
        assert_allclose(ours.p, peer.p, rtol=1e-6, atol=1e-15, err_msg=code)
        assert_allclose(ours.tau, peer.Tau, rtol=RTOL, err_msg=code)
        assert_allclose((ours.slope, ours.intercept), (peer.slope, peer.intercept), rtol=RTOL)
        trends.add(ours.trend)
    assert "increasing" in trends


@pytest.mark.parametrize(("method", "lag"), [("hamed_rao", 3), ("yue_wang", 1)])
def test_corrections_with_a_lag_match(nino, method, lag):
    y = nino.loc["E08000026"].to_numpy()  # Coventry
    ours = estimate.mann_kendall(y, method=method, lag=lag)
    peer = PEERS[method](y, lag=lag)
    assert_allclose((ours.var_s, ours.z), (peer.var_s, peer.z), rtol=RTOL)


def test_mann_kendall_with_ties_and_a_short_series():
    y = [3.0, 3.0, 5.0, 4.0, 4.0, 4.0, 8.0, 7.0, 9.0, 9.0]
    for method, peer_test in PEERS.items():
        ours = estimate.mann_kendall(y, method=method, alpha=0.1)
        peer = peer_test(y, alpha=0.1)
        assert_allclose((ours.s, ours.var_s, ours.z), (peer.s, peer.var_s, peer.z), rtol=RTOL)
        assert ours.trend == peer.trend


def test_sens_slope_matches_pymannkendall_and_scipy(nino):
    for code, series in nino.iterrows():
        y = series.to_numpy()
        ours = estimate.sens_slope(y)
        peer = mk.sens_slope(y)
        scipy_ci = stats.theilslopes(y, alpha=0.95)
        assert_allclose((ours.slope, ours.intercept), (peer.slope, peer.intercept), rtol=RTOL)
        assert_allclose(
            (ours.lower, ours.upper),
            (scipy_ci.low_slope, scipy_ci.high_slope),
            rtol=RTOL,
            err_msg=code,
        )
        assert ours.lower <= ours.slope <= ours.upper
    ours = estimate.sens_slope(nino.loc["E08000025"].to_numpy(), alpha=0.2)
    peer = stats.theilslopes(nino.loc["E08000025"].to_numpy(), alpha=0.8)
    assert_allclose((ours.lower, ours.upper), (peer.low_slope, peer.high_slope), rtol=RTOL)


# --- IPF -------------------------------------------------------------------------------------


def numpy_ipf2(m, rows, cols, tol=1e-10, maxit=1000):
    """migest's ipf2 loop, written independently in NumPy."""
    mu = np.array(m, dtype=float)
    it, d = 0, math.inf
    while it == 0 or (d > tol and it < maxit):
        cm = mu.sum(axis=0)
        mu = mu * np.nan_to_num(cols / cm, nan=0.0, posinf=0.0)
        rm = mu.sum(axis=1)
        mu = mu * np.nan_to_num(rows / rm, nan=0.0, posinf=0.0)[:, None]
        it += 1
        d = max(np.abs(rows - rm).max(), np.abs(cols - cm).max())
    return mu, it, d


def numpy_ipf3(m, ik, jk, tol=1e-10, maxit=1000):
    """migest's ipf3 loop (ik then jk margins), written independently in NumPy."""
    mu = np.array(m, dtype=float)
    it, d = 0, math.inf
    while d > tol and it < maxit:
        cur_ik = mu.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mu = mu * np.nan_to_num(ik / cur_ik, nan=0.0, posinf=0.0)[:, None, :]
        cur_jk = mu.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mu = mu * np.nan_to_num(jk / cur_jk, nan=0.0, posinf=0.0)[None, :, :]
        it += 1
        d = max(np.abs(ik - cur_ik).max(), np.abs(jk - cur_jk).max())
    return mu, it, d


def test_ipf2_migest_documentation_examples():
    # Inputs from migest's ipf2 documentation (R/ipf2.R @examples, Willekens 1999 data); R fills
    # matrices column-major, so m = matrix(c(5, 1, 2, 7), ncol = 2) is [[5, 2], [1, 7]].
    rows, cols = np.array([18.0, 20.0]), np.array([16.0, 22.0])
    r = estimate.ipf([[5, 2], [1, 7]], (rows, cols))
    # The fit keeps the seed's odds ratio (35 / 2) and meets both margins: solve for cell [0, 0]:
    # a (4 + a) = 17.5 (18 - a)(16 - a)  <=>  16.5 a^2 - 599 a + 5040 = 0.
    a = (599 - math.sqrt(599**2 - 4 * 16.5 * 5040)) / 33
    assert_allclose(r.fitted, [[a, 18 - a], [16 - a, 4 + a]], rtol=1e-9)
    assert r.converged and r.deviation <= 1e-10
    mu, it, d = numpy_ipf2(np.array([[5.0, 2.0], [1.0, 7.0]]), rows, cols)
    assert r.iterations == it
    assert_allclose(r.fitted, mu, rtol=1e-12)
    # "with all elements of offset equal": the independence table r_i c_j / N
    r = estimate.ipf(None, (rows, cols))
    assert_allclose(r.fitted, np.outer(rows, cols) / 38, rtol=1e-12)
    # "with bigger matrix" (a structural zero stays zero)
    m = np.array([[50, 120, 545], [10, 120, 0], [220, 30, 10]], dtype=float)
    rows3, cols3 = np.array([170.0, 120, 410]), np.array([500.0, 140, 60])
    r = estimate.ipf(m, (rows3, cols3))
    mu, it, d = numpy_ipf2(m, rows3, cols3)
    assert_allclose(r.fitted, mu, rtol=1e-12)
    assert (r.iterations, r.fitted[1, 2]) == (it, 0.0)
    assert_allclose(r.deviation, d, rtol=1e-6, atol=1e-12)


def test_ipf2_rakes_real_table_like_numpy(nino):
    seed = nino.loc[:, 2016:2023].to_numpy()
    target = nino.loc[:, 2016:2023].to_numpy() * np.linspace(0.8, 1.3, 8)
    rows, cols = target.sum(axis=1), target.sum(axis=0)
    r = estimate.ipf(seed, (rows, cols), tol=1e-8)
    mu, it, _ = numpy_ipf2(seed, rows, cols, tol=1e-8)
    assert r.iterations == it
    assert_allclose(r.fitted, mu, rtol=1e-10)
    assert_allclose(r.fitted.sum(axis=1), rows, rtol=1e-10)


def test_ipf3_matches_numpy_and_migest_example():
    # migest ipf3 documentation: P1 (place of birth x residence at time 1), P2 (time 2);
    # ipf3(rtot = t(P1), ctot = P2) fits y[orig, dest, pob] with ik = t(P1) and jk = t(P2).
    p1 = np.array(
        [[1000, 100, 10, 0], [55, 555, 50, 5], [80, 40, 800, 40], [20, 25, 20, 200]], dtype=float
    )
    p2 = np.array(
        [[950, 100, 60, 0], [80, 505, 75, 5], [90, 30, 800, 40], [40, 45, 0, 180]], dtype=float
    )
    ik, jk = p1.T, p2.T
    seed = np.ones((4, 4, 4))
    r = estimate.ipf(seed, (ik, jk))
    mu, it, _ = numpy_ipf3(seed, ik, jk)
    assert r.iterations == it
    assert_allclose(r.fitted, mu, rtol=1e-10, atol=1e-12)
    assert_allclose(r.fitted.sum(axis=1), ik, rtol=1e-9, atol=1e-9)
    assert_allclose(r.fitted.sum(axis=0), jk, rtol=1e-9, atol=1e-9)
    # "with alternative offset term" (migest's distance array, filled column-major)
    dis = np.array([1, 2, 3, 4, 2, 1, 5, 6, 3, 4, 1, 7, 4, 6, 7, 1], dtype=float)
    dis = np.tile(dis, 4).reshape((4, 4, 4), order="F")
    r = estimate.ipf(dis, (ik, jk))
    mu, it, _ = numpy_ipf3(dis, ik, jk)
    assert_allclose(r.fitted, mu, rtol=1e-10, atol=1e-12)


# --- local level (Kalman filter and smoother) -----------------------------------------------------


@pytest.mark.parametrize("code", ["E08000025", "E08000026", "E06000021"])
def test_local_level_matches_statsmodels(nino, code):
    """Birmingham, Coventry, Stoke-on-Trent: log registrations with three periods missing."""
    y = np.log(nino.loc[code].to_numpy())
    y[[5, 6, 15]] = np.nan
    model = UnobservedComponents(y, "llevel", use_exact_diffuse=True)
    peer = model.smooth([0.05, 0.1])
    ours = estimate.local_level(y, 0.05, 0.1)
    assert_allclose(ours.smoothed, peer.smoothed_state[0], rtol=1e-12)
    assert_allclose(ours.smoothed_var, peer.smoothed_state_cov[0, 0], rtol=1e-10)
    assert_allclose(ours.filtered, peer.filtered_state[0], rtol=1e-12)
    assert_allclose(ours.filtered_var, peer.filtered_state_cov[0, 0], rtol=1e-10)
    assert_allclose(ours.llf, peer.llf, rtol=1e-12)
    assert ours.nobs == 21
    # maximum likelihood: at least as high as statsmodels' optimiser reaches, same variances
    fitted = model.fit(disp=False)
    ours = estimate.local_level(y)
    assert ours.llf >= fitted.llf - 1e-9
    assert_allclose(ours.llf, fitted.llf, rtol=1e-7)
    assert_allclose((ours.sigma2_irregular, ours.sigma2_level), fitted.params, rtol=5e-3)
    assert np.all(ours.lower < ours.smoothed) and np.all(ours.smoothed < ours.upper)


# --- reconciliation ---------------------------------------------------------------------------


def test_reconcile_one_source_is_statsmodels_local_level(nino):
    y = nino.loc["E08000025"].to_numpy()  # Birmingham
    ours = estimate.reconcile(y[None, :], tol=1e-12, max_iter=100_000)
    peer = UnobservedComponents(np.log(y), "llevel", use_exact_diffuse=True).fit(disp=False)
    assert ours.converged
    assert_allclose(ours.llf, peer.llf, rtol=1e-7)
    assert_allclose((ours.sigma2[0], ours.sigma2_level), peer.params, rtol=1e-2)
    assert_allclose(ours.level[0], peer.smoothed_state[0], rtol=1e-4)


def test_reconcile_recovers_simulated_biases_and_covers_the_truth():
    rng = np.random.default_rng(7)
    areas, periods = 400, 20
    bias, sd, level_sd = np.array([0.0, 0.5, -0.2]), np.array([0.05, 0.12, 0.07]), 0.06
    truth = (
        5 + rng.normal(size=(areas, 1)) + np.cumsum(rng.normal(0, level_sd, (areas, periods)), 1)
    )
    logs = (
        truth[:, None, :]
        + bias[None, :, None]
        + rng.normal(size=(areas, 3, periods)) * sd[None, :, None]
    )
    data = np.exp(logs)
    data[:, 2, :6] = np.nan  # the third source starts later
    r = estimate.reconcile(data)
    assert_allclose(r.bias, bias, atol=0.01)
    assert_allclose(np.sqrt(r.sigma2), sd, rtol=0.06)
    lower, upper = np.array(r.lower), np.array(r.upper)
    coverage = np.mean((lower <= np.exp(truth)) & (np.exp(truth) <= upper))
    assert 0.93 <= coverage <= 0.97, coverage
    # an outlier is flagged
    data[3, 1, 10] *= 4
    flagged = estimate.reconcile(data).flags
    assert any(f[:3] == (3, 1, 10) for f in flagged)


# --- stock-flow accounts ----------------------------------------------------------------------


def test_registrations_exceeding_residents_born_abroad_are_flagged(data_dir, nino):
    """NINo registrations 2002-2020 against residents born outside the UK at Census 2021."""
    cob = pd.read_csv(data_dir / TS012)
    uk = cob[cob["country_of_birth"] == "europe_united_kingdom"].set_index("ltla21_code")
    born_abroad = uk["total_all_usual_residents"] - uk["value"]
    assert born_abroad["E08000025"] == 305_960  # PROVENANCE.md: Birmingham
    cumulative = nino.loc[:, 2002:2020].sum(axis=1)
    flagged = set()
    for code in nino.index:
        r = estimate.stock_flow(None, float(born_abroad[code]), nino.loc[code, 2002:2020])
        assert r.inflow_total == (cumulative[code], cumulative[code])
        assert r.implied_outflow[0] == cumulative[code] - born_abroad[code]
        assert r.unrecorded_outflow_likely == (cumulative[code] > born_abroad[code])
        if r.unrecorded_outflow_likely:
            flagged.add(code)
            assert "exceed" in r.evidence
    # Herefordshire (seasonal farm work) and Coventry (students) among them; Birmingham not
    assert {"E06000019", "E08000026"} <= flagged
    assert "E08000025" not in flagged
    assert len(flagged) == int((cumulative > born_abroad.reindex(nino.index)).sum())


def test_exponential_retention_solves_the_survival_equation():
    times = np.arange(10) + 0.5
    flows = np.full(10, 100.0)
    lo, hi = estimate.exponential_retention(0, 500, flows, times, 10.0)
    assert lo == pytest.approx(hi)
    assert np.sum(flows * np.exp(-lo * (10 - times))) == pytest.approx(500, rel=1e-10)
    lo, hi = estimate.exponential_retention(
        0, (495, 504), flows - 5, times, 10.0, inflows_upper=flows + 4
    )
    assert lo < hi


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: estimate.rate(-3, 100), "counts cannot be negative"),
        (lambda: estimate.rate(3, 0), "denominator must be > 0"),
        (lambda: estimate.rate(float("nan"), 10), "finite"),
        (lambda: estimate.rate(30, 10, method="wilson"), "count ≤ population"),
        (lambda: estimate.rate(3, 10, method="poison"), "unknown method"),
        (lambda: estimate.rate(3, 10, rounding=0), "rounding"),
        (lambda: estimate.change(0, 5), "fold change is undefined"),
        (lambda: estimate.mann_kendall([1.0, 2.0]), "at least 3 values, got 2"),
        (lambda: estimate.mann_kendall([1.0, float("nan"), 2.0, 3.0]), "NaN"),
        (lambda: estimate.mann_kendall([1.0, 2.0, 3.0], method="sen"), "unknown method"),
        (lambda: estimate.sens_slope([1.0], alpha=0.05), "at least 2 values"),
        (lambda: estimate.ipf([[1, 1], [1, 1]], ([1, 2], [1, 1])), "margins disagree"),
        (lambda: estimate.ipf([[1, -1], [1, 1]], ([1, 1], [1, 1])), "seed"),
        (lambda: estimate.ipf([[1, 1], [1, 1]], ([1, 1, 1], None)), "3 row totals"),
        (lambda: estimate.ipf(np.ones((2, 2, 2, 2)), ([1], [1])), "2-D or 3-D"),
        (lambda: estimate.local_level([1.0, float("nan")]), "at least 2 values, got 1"),
        (lambda: estimate.local_level([1.0, 2.0], 1.0), "give both"),
        (lambda: estimate.reconcile([[1.0, 2.0], [3.0, 0.0]]), "positive number"),
        (lambda: estimate.stock_flow(10, 5, [1, -1]), "inflow at period 1"),
        (lambda: estimate.exponential_retention(0, 5, [1], [3], 2.0), "time of cohort 0"),
        (lambda: estimate.reconcile([[1.0, 2.0], [3.0, float("nan")]]), "at least 2"),
    ],
)
def test_bad_input_is_a_migkit_error_naming_the_problem(call, message):
    with pytest.raises(migkit.ParameterError, match=message):
        call()


def test_non_convergence_is_reported():
    r = estimate.ipf([[0, 0], [1, 1]], ([5, 5], [5, 5]), max_iter=25)
    assert not r.converged and r.iterations == 25
