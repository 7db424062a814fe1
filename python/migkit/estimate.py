"""Estimates planners quote, with their uncertainty: rates, change, trend tests and raking.

Rates come with exact Poisson (Garwood), Wilson or Clopper-Pearson intervals, widened when a
published count was rounded or suppressed; change between periods (absolute, fold, compound annual
growth, share, rank of growth) is an interval when its inputs are; the Mann-Kendall test and Sen's
slope match pymannkendall 1.4.3 (and ``scipy.stats.theilslopes`` for the slope's interval); IPF
follows the R package migest's ``ipf2`` / ``ipf3``; the local-level model (Kalman filter and
smoother) matches statsmodels' ``UnobservedComponents(y, "llevel", use_exact_diffuse=True)``.
Every statistic runs in Rust (``migkit-estimate``) with the GIL released.

Examples
--------
>>> from migkit import estimate
>>> r = estimate.rate(10, 1_000, per=1_000)
>>> round(r.lower, 3), round(r.upper, 3)
(4.795, 18.39)
>>> r = estimate.rate(40, 10_000, per=1_000, rounding=10)   # 40 means 35..44
>>> r.count_lower, r.count_upper
(35.0, 44.0)
>>> estimate.change(100, 700, years=4).fold
(7.0, 7.0)
>>> estimate.mann_kendall([1, 2, 4, 3, 5, 7, 6, 8]).trend
'increasing'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from migkit._migkit import (
    estimate_change,
    estimate_exponential_retention,
    estimate_ipf,
    estimate_local_level,
    estimate_mann_kendall,
    estimate_rank_growth,
    estimate_rate,
    estimate_reconcile,
    estimate_sens_slope,
    estimate_share,
    estimate_stock_flow,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Change",
    "GrowthRanks",
    "IpfResult",
    "LocalLevel",
    "MannKendall",
    "Rate",
    "Reconciled",
    "SensSlope",
    "StockFlow",
    "change",
    "exponential_retention",
    "ipf",
    "local_level",
    "mann_kendall",
    "rank_growth",
    "rate",
    "reconcile",
    "sens_slope",
    "share",
    "stock_flow",
]

FloatArray = npt.NDArray[np.float64]


def _vector(x: Any, name: str) -> FloatArray:
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if a.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D sequence, got {a.ndim} dimensions")
    return a.reshape(-1)


def _bounds(x: float | tuple[float, float]) -> tuple[float, float]:
    if isinstance(x, tuple):
        lo, hi = x
        return float(lo), float(hi)
    return float(x), float(x)


@dataclass(frozen=True)
class Rate:
    """Rates per ``per`` people with their confidence intervals.

    Fields are floats for a scalar count and NumPy arrays for a sequence of counts.

    Attributes
    ----------
    rate : float or numpy.ndarray
        The rate at the middle of the count's interval (the count itself when exact).
    rate_lower, rate_upper : float or numpy.ndarray
        The rates at the count's bounds, before sampling error.
    lower, upper : float or numpy.ndarray
        Confidence limits (lower at the count's lower bound, upper at its upper bound).
    count_lower, count_upper : float or numpy.ndarray
        The interval of the count (equal when exact).
    population : float or numpy.ndarray
        The denominator.
    per : float
        100 for per cent, 1,000, 10,000, 200, ...
    method : str
        ``"garwood"``, ``"wilson"`` or ``"clopper_pearson"``.
    confidence : float
        ``1 - alpha``.
    vintage : str or None
        The denominator's vintage, e.g. ``"ONS mid-2024 estimate"``.
    """

    rate: Any
    rate_lower: Any
    rate_upper: Any
    lower: Any
    upper: Any
    count_lower: Any
    count_upper: Any
    population: Any
    per: float
    method: str
    confidence: float
    vintage: str | None

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per count as a ``pandas.DataFrame``."""
        import pandas as pd

        cols = [
            "count_lower",
            "count_upper",
            "population",
            "rate",
            "rate_lower",
            "rate_upper",
            "lower",
            "upper",
        ]
        frame = pd.DataFrame({c: np.atleast_1d(getattr(self, c)) for c in cols})
        frame["per"] = self.per
        frame["method"] = self.method
        frame["confidence"] = self.confidence
        frame["vintage"] = self.vintage
        return frame


def rate(
    count: Any,
    population: Any,
    per: float = 10_000,
    method: Literal["garwood", "wilson", "clopper_pearson"] = "garwood",
    rounding: float | None = None,
    *,
    count_upper: Any = None,
    alpha: float = 0.05,
    vintage: str | None = None,
) -> Rate:
    """Rate of a count per ``per`` people, with a confidence interval.

    Parameters
    ----------
    count : float or array_like
        The count(s) as published. With ``count_upper``, the lower bound(s) of counts known only
        within bounds (e.g. a cell suppressed below 5 is ``count=0, count_upper=4``).
    population : float or array_like
        The denominator(s), > 0.
    per : float, default 10_000
        100 (per cent), 1_000, 10_000 or 200.
    method : {"garwood", "wilson", "clopper_pearson"}, default "garwood"
        Exact Poisson interval of the count (Garwood 1936), or the Wilson (1927) or
        Clopper-Pearson (1934) interval of the proportion ``count / population``.
    rounding : float, optional
        The base the counts were rounded to (e.g. 10: 40 means 35..44); widens the interval.
    count_upper : float or array_like, optional
        Upper bound(s) of counts known within bounds.
    alpha : float, default 0.05
        One minus the confidence level.
    vintage : str, optional
        Which population release the denominator comes from.

    Returns
    -------
    Rate
        Rates, count ranges and confidence limits.

    Raises
    ------
    ParameterError
        Negative or NaN counts, a population that is not > 0, a count above the population for
        the binomial methods, an unknown method.
    """
    if rounding is not None and count_upper is not None:
        raise ValueError("give either rounding or count_upper, not both")
    scalar = np.ndim(count) == 0 and np.ndim(population) == 0
    lo = _vector(count, "count")
    hi = lo if count_upper is None else _vector(count_upper, "count_upper")
    pop = _vector(population, "population")
    if pop.size == 1 and lo.size > 1:
        pop = np.full(lo.size, pop[0])
    out = estimate_rate(lo, hi, pop, float(per), method, float(alpha), rounding)
    v: list[Any] = [float(a[0]) for a in out] if scalar else list(out)
    pop_out: Any = float(pop[0]) if scalar else pop
    return Rate(
        rate=v[0],
        rate_lower=v[1],
        rate_upper=v[2],
        lower=v[3],
        upper=v[4],
        count_lower=v[5],
        count_upper=v[6],
        population=pop_out,
        per=float(per),
        method=method,
        confidence=1.0 - alpha,
        vintage=vintage,
    )


@dataclass(frozen=True)
class Change:
    """Change between two periods; each field is a ``(lower, upper)`` range.

    Attributes
    ----------
    absolute : tuple of float
        ``end - start``.
    fold : tuple of float
        ``end / start`` (upper bound ``inf`` when ``start`` can be 0).
    annual_growth : tuple of float or None
        Compound annual growth rate as a fraction (0.05 = 5 % a year), if ``years`` was given.
    """

    absolute: tuple[float, float]
    fold: tuple[float, float]
    annual_growth: tuple[float, float] | None


def change(
    start: float | tuple[float, float],
    end: float | tuple[float, float],
    years: float | None = None,
) -> Change:
    """Absolute change, fold change and compound annual growth between two values.

    Parameters
    ----------
    start, end : float or (float, float)
        The values, or ``(lower, upper)`` bounds for rounded or suppressed figures.
    years : float, optional
        Years between them, for the compound annual growth rate.

    Returns
    -------
    Change
        Each statistic as a ``(lower, upper)`` range over the values the inputs allow.

    Raises
    ------
    ParameterError
        Negative or NaN values, ``start`` exactly 0, ``years`` not > 0.

    Examples
    --------
    >>> c = change((105, 114), (765, 774), years=4)   # 110 and 770, rounded to 10
    >>> round(c.fold[0], 2), round(c.fold[1], 2)
    (6.71, 7.37)
    """
    a_lo, a_hi, f_lo, f_hi, g_lo, g_hi = estimate_change(_bounds(start), _bounds(end), years)
    growth = None if g_lo is None or g_hi is None else (g_lo, g_hi)
    return Change((a_lo, a_hi), (f_lo, f_hi), growth)


def share(
    part: float | tuple[float, float], total: float | tuple[float, float]
) -> tuple[float, float]:
    """Share of a total (e.g. of the region) that a part makes up, as a ``(lower, upper)`` fraction.

    Parameters
    ----------
    part, total : float or (float, float)
        The part and the total that includes it, or their bounds.

    Returns
    -------
    tuple of float
        ``(part_lower / total_upper, min(1, part_upper / total_lower))``.

    Raises
    ------
    ParameterError
        Negative or NaN values, a zero total, a part above the total.
    """
    return estimate_share(_bounds(part), _bounds(total))


@dataclass(frozen=True)
class GrowthRanks:
    """Ranks of growth among areas (1 = fastest).

    Attributes
    ----------
    growth_lower, growth_upper : numpy.ndarray
        Each area's growth (fold or absolute change) range.
    rank : numpy.ndarray
        Rank at the middle of the growth ranges.
    best, worst : numpy.ndarray
        The best and worst rank the ranges allow.
    """

    growth_lower: FloatArray
    growth_upper: FloatArray
    rank: npt.NDArray[np.uint64]
    best: npt.NDArray[np.uint64]
    worst: npt.NDArray[np.uint64]


def rank_growth(
    start: Any,
    end: Any,
    *,
    start_upper: Any = None,
    end_upper: Any = None,
    measure: Literal["fold", "absolute"] = "fold",
) -> GrowthRanks:
    """Rank areas by growth between two periods, with the range of ranks intervals allow.

    Parameters
    ----------
    start, end : array_like
        Values per area in the two periods (lower bounds when ``*_upper`` are given).
    start_upper, end_upper : array_like, optional
        Upper bounds for rounded or suppressed values.
    measure : {"fold", "absolute"}, default "fold"
        Growth measure.

    Returns
    -------
    GrowthRanks
        Growth ranges, point ranks and rank ranges.
    """
    s_lo = _vector(start, "start")
    e_lo = _vector(end, "end")
    s_hi = s_lo if start_upper is None else _vector(start_upper, "start_upper")
    e_hi = e_lo if end_upper is None else _vector(end_upper, "end_upper")
    return GrowthRanks(*estimate_rank_growth(s_lo, s_hi, e_lo, e_hi, measure))


@dataclass(frozen=True)
class MannKendall:
    """A Mann-Kendall test result, with pymannkendall's field names (``tau`` for its ``Tau``).

    Attributes
    ----------
    trend : str
        ``"increasing"``, ``"decreasing"`` or ``"no trend"``.
    h : bool
        True when a trend is found at ``alpha``.
    p : float
        Two-sided p-value.
    z : float
        Normalised test statistic.
    tau : float
        Kendall's tau.
    s : float
        Mann-Kendall score.
    var_s : float
        Variance of ``s`` (tie- and, for the modified tests, autocorrelation-corrected).
    slope : float
        Sen's slope per time step.
    intercept : float
        Intercept of the Kendall-Theil line, time counted from 0.
    method : str
        ``"original"``, ``"hamed_rao"`` or ``"yue_wang"``.
    """

    trend: str
    h: bool
    p: float
    z: float
    tau: float
    s: float
    var_s: float
    slope: float
    intercept: float
    method: str


def mann_kendall(
    y: Sequence[float] | FloatArray,
    method: Literal["original", "hamed_rao", "yue_wang"] = "original",
    alpha: float = 0.05,
    lag: int | None = None,
) -> MannKendall:
    """Mann-Kendall test for a monotonic trend, optionally corrected for autocorrelation.

    Matches pymannkendall 1.4.3 ``original_test``, ``hamed_rao_modification_test`` and
    ``yue_wang_modification_test``, except that NaN is an error (drop or fill missing values
    first) and small p-values keep their precision.

    Parameters
    ----------
    y : array_like
        An equally spaced series, at least 3 values.
    method : {"original", "hamed_rao", "yue_wang"}, default "original"
        Variance of S: with ties only (Mann 1945, Kendall 1975), or inflated for autocorrelation
        (Hamed & Rao 1998; Yue & Wang 2004).
    alpha : float, default 0.05
        Significance level.
    lag : int, optional
        Number of lags for the corrections (default all).

    Returns
    -------
    MannKendall
        The test result.

    Raises
    ------
    ParameterError
        Fewer than 3 values, NaN, an unknown method, ``lag`` above ``len(y) - 1``.
    """
    out = estimate_mann_kendall(_vector(y, "y"), method, float(alpha), lag)
    return MannKendall(*out, method)


@dataclass(frozen=True)
class SensSlope:
    """Sen's slope with its confidence interval.

    Attributes
    ----------
    slope : float
        Median pairwise slope per time step.
    intercept : float
        ``median(y) - (n - 1) / 2 * slope``.
    lower, upper : float
        Confidence limits of the slope (Sen 1968, as ``scipy.stats.theilslopes``).
    """

    slope: float
    intercept: float
    lower: float
    upper: float


def sens_slope(y: Sequence[float] | FloatArray, alpha: float = 0.05) -> SensSlope:
    """Sen's slope of an equally spaced series with a ``1 - alpha`` confidence interval.

    Parameters
    ----------
    y : array_like
        At least 2 values, no NaN.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    SensSlope
        Slope, intercept (pymannkendall's) and confidence limits (scipy's ``theilslopes``).

    Raises
    ------
    ParameterError
        Fewer than 2 values, NaN, ``alpha`` outside (0, 1).
    """
    return SensSlope(*estimate_sens_slope(_vector(y, "y"), float(alpha)))


@dataclass(frozen=True)
class IpfResult:
    """A table fitted by iterative proportional fitting.

    Attributes
    ----------
    fitted : numpy.ndarray
        The fitted table, shaped as the seed.
    iterations : int
        Sweeps over the margins (migest's ``it``).
    deviation : float
        Largest absolute margin difference in the last sweep (migest's ``tol``).
    converged : bool
        ``deviation <= tol``.
    """

    fitted: FloatArray
    iterations: int
    deviation: float
    converged: bool


def ipf(
    seed: Any,
    margins: Sequence[Any],
    tol: float = 1e-10,
    max_iter: int = 1000,
    *,
    margin_tol: float = 1e-8,
) -> IpfResult:
    """Fit a 2-D or 3-D seed table to margins by iterative proportional fitting (raking).

    Semantics of migest's ``ipf2`` / ``ipf3``: the seed is the offset (prior table); each sweep
    fits the column totals, then the row totals (2-D), or the ``ik``, ``jk`` and ``ij`` margins
    (3-D).

    Parameters
    ----------
    seed : array_like or None
        The offset, a 2-D or 3-D array of non-negative numbers; None for ones (2-D only, shaped by
        the margins).
    margins : sequence
        2-D: ``(row_totals, col_totals)``. 3-D: ``(ik, jk)`` or ``(ik, jk, ij)`` where
        ``ik[i, k] = fitted[i, :, k].sum()``, ``jk[j, k] = fitted[:, j, k].sum()`` and
        ``ij[i, j] = fitted[i, j, :].sum()``. Any may be None.
    tol : float, default 1e-10
        Convergence tolerance on the largest absolute margin difference.
    max_iter : int, default 1000
        Maximum sweeps.
    margin_tol : float, default 1e-8
        Relative tolerance within which margins' totals must agree.

    Returns
    -------
    IpfResult
        Fitted array, iterations, final deviation, convergence flag.

    Raises
    ------
    ParameterError
        Negative or NaN cells, margins whose totals disagree, shapes that do not fit.

    Examples
    --------
    >>> r = ipf([[5, 2], [1, 7]], ([18, 20], [16, 22]))
    >>> r.fitted.sum(axis=1).round(9).tolist(), r.converged
    ([18.0, 20.0], True)
    """
    arrays = [None if m is None else np.ascontiguousarray(m, dtype=np.float64) for m in margins]
    if seed is None:
        if len(arrays) != 2 or arrays[0] is None or arrays[1] is None:
            raise ValueError("seed=None needs both 2-D margins (row_totals, col_totals)")
        seed_arr = np.ones((arrays[0].size, arrays[1].size))
    else:
        seed_arr = np.ascontiguousarray(seed, dtype=np.float64)
    fitted, iterations, deviation, converged = estimate_ipf(
        seed_arr, arrays, float(tol), int(max_iter), float(margin_tol)
    )
    return IpfResult(fitted, iterations, deviation, converged)


@dataclass(frozen=True)
class LocalLevel:
    """A series smoothed by the local-level model (random walk plus noise).

    Attributes
    ----------
    smoothed : numpy.ndarray
        ``E[level_t | all y]``.
    smoothed_var : numpy.ndarray
        Its variance.
    lower, upper : numpy.ndarray
        ``smoothed -/+ z * sqrt(smoothed_var)``, the ``1 - alpha`` interval of the level.
    filtered, filtered_var : numpy.ndarray
        ``E[level_t | y_1..y_t]`` and its variance (NaN / inf before the first observation).
    llf : float
        Exact diffuse log-likelihood (statsmodels' ``llf``).
    sigma2_irregular, sigma2_level : float
        Observation and level variances (given or estimated).
    nobs : int
        Observed (non-NaN) values.
    """

    smoothed: FloatArray
    smoothed_var: FloatArray
    lower: FloatArray
    upper: FloatArray
    filtered: FloatArray
    filtered_var: FloatArray
    llf: float
    sigma2_irregular: float
    sigma2_level: float
    nobs: int


def local_level(
    y: Sequence[float] | FloatArray,
    sigma2_irregular: float | None = None,
    sigma2_level: float | None = None,
    *,
    alpha: float = 0.05,
) -> LocalLevel:
    """Smooth a series with the local-level model, estimating its variances if not given.

    ``y_t = level_t + noise``, ``level_t = level_{t-1} + step``, with a diffuse first level
    (Durbin & Koopman 2012). Missing periods are NaN.

    Parameters
    ----------
    y : array_like
        The series (e.g. log counts), at least 2 observed values.
    sigma2_irregular, sigma2_level : float, optional
        The variances; give both, or neither to estimate them by maximum likelihood.
    alpha : float, default 0.05
        One minus the level of the interval ``lower``/``upper``.

    Returns
    -------
    LocalLevel
        Smoothed and filtered levels with variances, interval, log-likelihood and variances.

    Raises
    ------
    ParameterError
        Fewer than 2 observed values, infinite values, negative variances, a constant series.

    Examples
    --------
    >>> r = local_level([1.0, float("nan"), 3.0], 1.0, 1.0)
    >>> float(r.smoothed[1]), float(r.filtered_var[1])
    (2.0, 2.0)
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    f, fv, s, sv, llf, s_eps, s_eta, nobs = estimate_local_level(
        _vector(y, "y"), sigma2_irregular, sigma2_level
    )
    half = NormalDist().inv_cdf(1 - alpha / 2) * np.sqrt(sv)
    return LocalLevel(s, sv, s - half, s + half, f, fv, llf, s_eps, s_eta, nobs)


@dataclass(frozen=True)
class Reconciled:
    """Several sources reconciled into one series per area.

    Attributes
    ----------
    value, lower, upper : list of numpy.ndarray
        Per area: the reconciled series on the benchmark source's scale and its interval.
    level, level_var : list of numpy.ndarray
        Per area: the smoothed log level and its variance.
    bias : numpy.ndarray
        Per source: log bias ``b_s`` (the source reads ``exp(b_s)`` times the benchmark).
    sigma2 : numpy.ndarray
        Per source: variance of its log errors (precision ``1 / sigma2``).
    nobs : numpy.ndarray
        Per source: observations used.
    sigma2_level : float
        Variance of the level's yearly steps.
    llf : float
        Log-likelihood.
    iterations : int
        EM iterations.
    converged : bool
        Whether EM converged before ``max_iter``.
    flags : list of tuple
        ``(area, source, period, z)`` for source-periods far from the consensus.
    """

    value: list[FloatArray]
    lower: list[FloatArray]
    upper: list[FloatArray]
    level: list[FloatArray]
    level_var: list[FloatArray]
    bias: FloatArray
    sigma2: FloatArray
    nobs: npt.NDArray[np.int64]
    sigma2_level: float
    llf: float
    iterations: int
    converged: bool
    flags: list[tuple[int, int, int, float]]


def reconcile(
    data: Any,
    benchmark: int = 0,
    *,
    max_iter: int = 1000,
    tol: float = 1e-9,
    flag_z: float = 3.0,
    alpha: float = 0.05,
) -> Reconciled:
    """Reconcile sources that measure the same quantity into one series per area.

    Log-space state-space model: a random-walk level per area, a multiplicative bias and a
    precision per source (shared by all areas), the benchmark source unbiased; fitted by EM with
    a Kalman filter and smoother. Missing periods are NaN; sources may cover different periods.

    Parameters
    ----------
    data : array_like
        One area as a 2-D ``(sources, periods)`` array, or several as a 3-D array or a list of
        2-D arrays (same sources in the same order; periods may differ between areas).
    benchmark : int, default 0
        The source whose bias is fixed at 0.
    max_iter : int, default 1000
        Maximum EM iterations.
    tol : float, default 1e-9
        Convergence tolerance on the log-likelihood.
    flag_z : float, default 3.0
        Flag source-periods whose standardised residual exceeds this.
    alpha : float, default 0.05
        One minus the level of the intervals.

    Returns
    -------
    Reconciled
        Series with intervals, source biases and precisions, flags.

    Raises
    ------
    ParameterError
        Values that are not positive, a source with fewer than 2 observations, an area without
        observations, shapes that do not fit.
    """
    if isinstance(data, np.ndarray) and data.ndim == 2:
        areas = [data]
    elif isinstance(data, np.ndarray) and data.ndim == 3:
        areas = list(data)
    elif isinstance(data, np.ndarray):
        raise ValueError(f"data must be 2-D or 3-D, got {data.ndim} dimensions")
    else:
        arr = [np.asarray(a, dtype=np.float64) for a in data]
        areas = arr if arr and arr[0].ndim == 2 else [np.asarray(data, dtype=np.float64)]
    areas = [np.ascontiguousarray(a, dtype=np.float64) for a in areas]
    series, bias, sigma2, nobs, s2l, llf, iterations, converged, flags = estimate_reconcile(
        areas, benchmark, max_iter, tol, flag_z, alpha
    )
    return Reconciled(
        value=[a[0] for a in series],
        lower=[a[1] for a in series],
        upper=[a[2] for a in series],
        level=[a[3] for a in series],
        level_var=[a[4] for a in series],
        bias=np.asarray(bias),
        sigma2=np.asarray(sigma2),
        nobs=np.asarray(nobs, dtype=np.int64),
        sigma2_level=s2l,
        llf=llf,
        iterations=iterations,
        converged=converged,
        flags=flags,
    )


@dataclass(frozen=True)
class StockFlow:
    """A stock-flow account of one area; ranges are ``(lower, upper)``.

    Attributes
    ----------
    inflow_total : tuple of float
        Sum of the recorded inflows.
    implied_outflow : tuple of float
        ``stock_start + inflows + net_internal - stock_end``: people who left unrecorded.
    retention : tuple of float
        ``stock_end / (stock_start + inflows + net_internal)``.
    unrecorded_outflow_likely : bool
        True when the implied outflow is certainly positive.
    evidence : str
        The figures behind the flag.
    """

    inflow_total: tuple[float, float]
    implied_outflow: tuple[float, float]
    retention: tuple[float, float]
    unrecorded_outflow_likely: bool
    evidence: str


def _pair(x: float | tuple[float, float] | None) -> tuple[float, float]:
    return (0.0, math.inf) if x is None else _bounds(x)


def stock_flow(
    stock_start: float | tuple[float, float] | None,
    stock_end: float | tuple[float, float],
    inflows: Any,
    *,
    inflows_upper: Any = None,
    net_internal: float | tuple[float, float] = 0.0,
) -> StockFlow:
    """Stock-flow account of an area whose arrivals are recorded but departures are not.

    Parameters
    ----------
    stock_start : float, (float, float) or None
        Resident stock at the start (None if unknown: any number from 0 up).
    stock_end : float or (float, float)
        Resident stock at the end (e.g. residents born abroad at Census 2021).
    inflows : array_like
        Recorded arrivals per period between the two dates (lower bounds if ``inflows_upper``).
    inflows_upper : array_like, optional
        Upper bounds of rounded or suppressed inflows.
    net_internal : float or (float, float), default 0
        Net moves from elsewhere in the country.

    Returns
    -------
    StockFlow
        Implied outflow, retention and the "unrecorded outflow likely" flag with its evidence.

    Raises
    ------
    ParameterError
        Negative or NaN stocks or inflows, inverted ranges.

    Examples
    --------
    >>> r = stock_flow(None, 16_076, [38_658])   # Herefordshire, NINo 2002-2020 vs Census 2021
    >>> r.unrecorded_outflow_likely, r.implied_outflow[0]
    (True, 22582.0)
    """
    lo = _vector(inflows, "inflows")
    hi = lo if inflows_upper is None else _vector(inflows_upper, "inflows_upper")
    i_lo, i_hi, o_lo, o_hi, r_lo, r_hi, flag, evidence = estimate_stock_flow(
        _pair(stock_start), _bounds(stock_end), lo, hi, _bounds(net_internal)
    )
    return StockFlow((i_lo, i_hi), (o_lo, o_hi), (r_lo, r_hi), flag, evidence)


def exponential_retention(
    stock_start: float | tuple[float, float],
    stock_end: float | tuple[float, float],
    inflows: Any,
    times: Any,
    horizon: float,
    *,
    inflows_upper: Any = None,
) -> tuple[float, float]:
    """Yearly exit rate ``lambda`` of arrivals under exponential survival, as a range.

    Solves ``stock_start * exp(-lambda * horizon) + sum(inflow_c * exp(-lambda * (horizon -
    t_c))) = stock_end``; the share of a cohort still resident after a year is ``exp(-lambda)``.

    Parameters
    ----------
    stock_start, stock_end : float or (float, float)
        Stocks at the two dates.
    inflows : array_like
        Arrivals per cohort (lower bounds if ``inflows_upper``).
    times : array_like
        Arrival time of each cohort in years after the start, within ``[0, horizon]``.
    horizon : float
        Years between the stock dates.
    inflows_upper : array_like, optional
        Upper bounds of rounded or suppressed inflows.

    Returns
    -------
    tuple of float
        ``(lower, upper)`` of lambda (0 if no one needs to have left; inf if no one stayed).
    """
    lo = _vector(inflows, "inflows")
    hi = lo if inflows_upper is None else _vector(inflows_upper, "inflows_upper")
    return estimate_exponential_retention(
        _bounds(stock_start), _bounds(stock_end), _vector(times, "times"), lo, hi, float(horizon)
    )
