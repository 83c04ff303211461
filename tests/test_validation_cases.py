"""The Monte Carlo engine against the closed forms of validation.md, cases 1 to 7.

Each case is a scenario file under ``tests/configs/case*.toml``. For each case the
test computes the closed form from the scenario's parameters, checks that it
equals the number printed in validation.md to its printed precision, then runs
the engine with a fixed seed and compares:

* a mean within ``K_SIGMA`` standard errors (SE = sample std / sqrt(trials) for
  leakers; for per-layer counts, which the result keeps only as sums, the SE
  comes from the closed-form variance);
* a probability within ``K_SIGMA`` binomial standard errors sqrt(p (1 - p) / trials)
  at the closed-form p;
* quantities that the model makes deterministic (P(any leak) = 1, exactly 16
  engagements, capacity, raid ratio, ...) exactly.

With K_SIGMA = 4, a correct engine fails any one such check by chance with
probability 2 * (1 - Phi(4)) = 6.3e-5, about 1 time in 16,000. The seeds are fixed,
so the suite is deterministic; the tolerance keeps it honest. Never widen it to
make a failure go away: find the cause.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from conftest import K_SIGMA
from saturation_sim import Scenario, load_scenario, simulate

CONFIGS = Path(__file__).resolve().parent / "configs"

#: Trials for cases 1 to 6 (each case runs in well under a second).
TRIALS = 20_000

# Column order of SimulationResult.layer_totals.
INTERCEPTORS, ENGAGEMENTS, KILLS, MAGAZINE_EMPTY = range(4)


# --- helpers -------------------------------------------------------------------

def load(name: str) -> Scenario:
    return load_scenario(CONFIGS / name)


def run(s: Scenario, seed: int, trials: int = TRIALS):
    return simulate(s, trials=trials, seed=seed)


def assert_printed(value: float, printed: str, what: str) -> None:
    """The closed form equals the number printed in validation.md to its precision."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    assert round(value, decimals) == pytest.approx(float(printed), abs=1e-12), (
        f"{what}: closed form {value!r} does not round to validation.md's {printed}")


def assert_mean(estimate: float, sd: float, trials: int, expected: float, what: str) -> None:
    """|estimate - expected| <= K_SIGMA * sd / sqrt(trials) (1 in 16,000 by chance)."""
    se = sd / math.sqrt(trials)
    assert se > 0, f"{what}: zero standard error; check this quantity exactly instead"
    z = (estimate - expected) / se
    assert abs(z) <= K_SIGMA, (
        f"{what}: engine {estimate:.6g}, closed form {expected:.6g}, "
        f"SE {se:.3g}, off by {z:+.2f} SE (bound {K_SIGMA:g})")


def assert_leakers_mean(result, expected: float, what: str) -> None:
    """Mean leakers within K_SIGMA SE, SE from the result's sample std."""
    assert_mean(result.leakers_mean, result.leakers_std, result.trials, expected,
                f"{what}: mean leakers")


def assert_probability(p_hat: float, trials: int, p: float, what: str) -> None:
    """p_hat within K_SIGMA binomial SE of p (1 in 16,000 by chance); exact if p is 0 or 1."""
    if p in (0.0, 1.0):
        assert p_hat == p, f"{what}: engine {p_hat!r}, closed form exactly {p}"
        return
    se = math.sqrt(p * (1.0 - p) / trials)
    z = (p_hat - p) / se
    assert abs(z) <= K_SIGMA, (
        f"{what}: engine {p_hat:.6g}, closed form {p:.6g}, binomial SE {se:.3g}, "
        f"off by {z:+.2f} SE (bound {K_SIGMA:g})")


def p_no_leak(result) -> float:
    return float(result.leaker_hist[0]) / result.trials


def layer_total(result, layer: int, column: int) -> int:
    return int(result.layer_totals[layer, column])


def layer_mean(result, layer: int, column: int) -> float:
    return layer_total(result, layer, column) / result.trials


def binomial_sd(n: int, p: float) -> float:
    return math.sqrt(n * p * (1.0 - p))


def engagement_kill(p: float, n: int, r: float = 1.0) -> float:
    """P(one engagement of n shots kills): 1 - q^n with q = 1 - r p."""
    return 1.0 - (1.0 - r * p) ** n


def variant(s: Scenario, count: int | None = None, shots: int | None = None,
            **layer_fields) -> Scenario:
    """The scenario with its (single) threat count and layer fields changed."""
    d = s.to_dict()
    if count is not None:
        d["threats"][0]["count"] = count
    if shots is not None:
        d["layers"][0]["shots_per_engagement"] = shots
    d["layers"][0].update(layer_fields)
    return Scenario.from_dict(d, source=f"{s.source} (variant)")


def erlang_b(c: int, a: float) -> float:
    """Erlang's loss formula B(c, a) by the stable recursion 1/B_k = 1 + k / (a B_{k-1})."""
    inv = 1.0
    for k in range(1, c + 1):
        inv = 1.0 + inv * k / a
    return 1.0 / inv


# --- case 1: saturated single layer, all at once ----------------------------------

def test_case1_saturated_single_layer():
    s = load("case1_saturated.toml")
    (layer,) = s.layers
    e = layer.engage["BM"]
    n_threats, channels = s.threats[0].count, layer.channels_per_unit
    # Deterministic: capacity and ratio.
    assert s.capacity == 16 and s.raid_size == 48 and s.raid_ratio == 3.0
    q_n = (1.0 - layer.reliability * e.sspk) ** layer.shots_per_engagement
    mean = (n_threats - channels) + channels * q_n
    assert_printed(mean, "33.44", "case 1 mean leakers")

    r = run(s, seed=101)
    d = r.to_dict()
    assert (d["capacity"], d["raid_size"], d["raid_ratio"]) == (16, 48, 3.0)
    # Exactly one engagement per channel, every trial: 16 engagements, 32 interceptors.
    assert layer_total(r, 0, ENGAGEMENTS) == 16 * r.trials
    assert layer_total(r, 0, INTERCEPTORS) == 32 * r.trials
    assert layer_total(r, 0, MAGAZINE_EMPTY) == 0  # 32 of 64 interceptors remain
    # 32 threats are never engaged: leakers in [32, 48] always, so P(any leak) = 1.
    assert r.leaker_hist[:32].sum() == 0, "fewer than 32 leakers in some trial"
    assert r.p_any_leak == 1.0 and d["p_any_leak"] == 1.0
    assert_leakers_mean(r, mean, "case 1")
    # Kills ~ Binomial(16, 1 - q^n).
    k = 1.0 - q_n
    assert_mean(layer_mean(r, 0, KILLS), binomial_sd(16, k), r.trials, 16 * k,
                "case 1 kills per trial")
    assert d["by_threat"]["BM"]["launched_mean"] == 48.0
    assert d["by_threat"]["BM"]["leakers_mean"] == pytest.approx(r.leakers_mean, rel=1e-12)


# --- case 2: unlimited capacity, independent shots -----------------------------------

CASE2_TABLE = [  # (N, n, printed P(no leak)) with p = 0.8, r = rho = 1
    (10, 1, "0.1074"), (10, 2, "0.6648"), (10, 3, "0.9228"), (10, 4, "0.9841"),
    (20, 1, "0.0115"), (20, 2, "0.4420"), (20, 3, "0.8516"), (20, 4, "0.9685"),
]


@pytest.mark.parametrize("n_threats, shots, printed", CASE2_TABLE)
def test_case2_unlimited_capacity_table(n_threats, shots, printed):
    base = load("case2_unlimited.toml")
    # The base file is the table's first entry.
    assert (base.threats[0].count, base.layers[0].shots_per_engagement) == (10, 1)
    s = variant(base, count=n_threats, shots=shots)
    layer = s.layers[0]
    # "Unlimited": every threat gets one engagement.
    assert layer.channels_per_unit >= n_threats
    assert layer.interceptors_per_unit >= n_threats * shots
    assert (layer.reliability, layer.detection) == (1.0, 1.0)
    k = layer.engagement_kill_probability("BM")
    rho = layer.detection
    p0 = (rho * k) ** n_threats
    assert_printed(p0, printed, f"case 2 P(no leak), N={n_threats}, n={shots}")

    r = run(s, seed=102)
    assert_probability(p_no_leak(r), r.trials, p0, f"case 2 N={n_threats} n={shots} P(no leak)")
    assert_leakers_mean(r, n_threats * (1.0 - rho * k), f"case 2 N={n_threats} n={shots}")
    assert layer_total(r, 0, ENGAGEMENTS) == n_threats * r.trials
    assert layer_total(r, 0, INTERCEPTORS) == n_threats * shots * r.trials


def test_case2_detection():
    s = load("case2_detection.toml")
    layer = s.layers[0]
    n_threats, rho = s.threats[0].count, layer.detection
    assert (n_threats, layer.shots_per_engagement, rho) == (20, 2, 0.95)
    assert layer.channels_per_unit >= n_threats
    assert layer.interceptors_per_unit >= n_threats * layer.shots_per_engagement
    k = layer.engagement_kill_probability("BM")
    p0 = (rho * k) ** n_threats
    mean = n_threats * (1.0 - rho * k)
    assert_printed(p0, "0.1585", "case 2 (rho = 0.95) P(no leak)")
    assert_printed(mean, "1.76", "case 2 (rho = 0.95) mean leakers")

    r = run(s, seed=103)
    assert_probability(p_no_leak(r), r.trials, p0, "case 2 (rho = 0.95) P(no leak)")
    assert_leakers_mean(r, mean, "case 2 (rho = 0.95)")
    # Only tracked threats are engaged: engagements ~ Binomial(N, rho).
    assert_mean(layer_mean(r, 0, ENGAGEMENTS), binomial_sd(n_threats, rho), r.trials,
                n_threats * rho, "case 2 (rho = 0.95) engagements per trial")


# Case 2's form also covers the other per-threat draws of model.md (no number is
# printed for these in validation.md; the closed form is the same binomial).

def test_case2_form_with_reliability():
    s = variant(load("case2_unlimited.toml"), count=10, shots=2, reliability=0.9)
    k = engagement_kill(0.8, 2, r=0.9)  # q = 1 - 0.72 = 0.28
    assert k == pytest.approx(1 - 0.28 ** 2)
    r = run(s, seed=110)
    assert_probability(p_no_leak(r), r.trials, k ** 10, "case 2 (r = 0.9) P(no leak)")
    assert_leakers_mean(r, 10 * (1 - k), "case 2 (r = 0.9)")


def test_case2_form_with_counterstrike():
    d = variant(load("case2_unlimited.toml"), count=20, shots=2).to_dict()
    d["counterstrike"] = {"prelaunch_kill": 0.25}
    s = Scenario.from_dict(d)
    k = engagement_kill(0.8, 2)
    survive = (1 - 0.25) * (1 - k)  # launched and not killed
    r = run(s, seed=111)
    assert_probability(p_no_leak(r), r.trials, (1 - survive) ** 20, "counterstrike P(no leak)")
    assert_leakers_mean(r, 20 * survive, "counterstrike")
    launched = r.group_launched[0] / r.trials
    assert_mean(launched, binomial_sd(20, 0.75), r.trials, 15.0, "counterstrike launched")
    # A destroyed missile is never engaged.
    assert layer_total(r, 0, ENGAGEMENTS) == int(r.group_launched[0])


# --- case 3: magazine-limited ---------------------------------------------------------

@pytest.mark.parametrize("name, engagements, mean_printed, p0_printed, seed", [
    ("case3_magazine_40.toml", 20, "10.8", "0", 104),
    ("case3_magazine_60.toml", 30, "1.2", "0.2939", 105),
])
def test_case3_magazine_limited(name, engagements, mean_printed, p0_printed, seed):
    s = load(name)
    layer = s.layers[0]
    n_threats, shots = s.threats[0].count, layer.shots_per_engagement
    assert n_threats == 30 and layer.channels_per_unit >= n_threats
    n_eng = min(n_threats, layer.interceptors_per_unit // shots)
    assert n_eng == engagements
    assert s.capacity == engagements  # the magazine, not channels or time, binds
    q_n = 1.0 - layer.engagement_kill_probability("BM")
    mean = (n_threats - n_eng) + n_eng * q_n
    # Unengaged threats always leak: P(no leak) = 0 unless every threat is engaged.
    p0 = (1.0 - q_n) ** n_eng if n_eng == n_threats else 0.0
    assert_printed(mean, mean_printed, f"{name} mean leakers")
    assert_printed(p0, p0_printed, f"{name} P(no leak)")

    r = run(s, seed=seed)
    assert layer_total(r, 0, ENGAGEMENTS) == n_eng * r.trials
    assert layer_total(r, 0, INTERCEPTORS) == n_eng * shots * r.trials
    assert layer_total(r, 0, MAGAZINE_EMPTY) == r.trials  # always ends with 0 left
    assert r.leaker_hist[:n_threats - n_eng].sum() == 0
    assert_probability(p_no_leak(r), r.trials, p0, f"{name} P(no leak)")
    assert_leakers_mean(r, mean, name)


# --- case 4: shoot-look-shoot -----------------------------------------------------------

def test_case4_shoot_look_shoot():
    s = load("case4_shoot_look_shoot.toml")
    layer = s.layers[0]
    n_threats, m = s.threats[0].count, layer.max_engagements
    e = layer.engage["BM"]
    assert (n_threats, layer.shots_per_engagement, m) == (20, 1, 3)
    # Three engagements fit the window, and channels and interceptors are ample.
    assert layer.engagements_in_window("BM") == 3
    assert layer.channels_per_unit >= n_threats
    assert layer.interceptors_per_unit >= n_threats * m
    miss = 1.0 - layer.engagement_kill_probability("BM")  # 0.4
    survive = miss ** m
    mean = n_threats * survive
    p0 = (1.0 - survive) ** n_threats
    # Interceptors spent on one threat: 1 + miss + miss^2 on average.
    shots_dist = {j + 1: miss ** j * (1 - miss) for j in range(m - 1)}
    shots_dist[m] = miss ** (m - 1)
    per_threat = sum(j * p for j, p in shots_dist.items())
    per_threat_var = sum(j * j * p for j, p in shots_dist.items()) - per_threat ** 2
    assert e.sspk == 0.6
    assert_printed(survive, "0.064", "case 4 survival")
    assert_printed(mean, "1.28", "case 4 mean leakers")
    assert_printed(p0, "0.2664", "case 4 P(no leak)")
    assert_printed(per_threat, "1.56", "case 4 interceptors per threat")

    r = run(s, seed=106)
    assert_probability(p_no_leak(r), r.trials, p0, "case 4 P(no leak)")
    assert_leakers_mean(r, mean, "case 4")
    # n = 1: one interceptor per engagement.
    assert layer_total(r, 0, ENGAGEMENTS) == layer_total(r, 0, INTERCEPTORS)
    assert_mean(layer_mean(r, 0, INTERCEPTORS) / n_threats,
                math.sqrt(per_threat_var / n_threats), r.trials, per_threat,
                "case 4 interceptors per threat")
    # Every warhead either is killed or leaks.
    assert layer_total(r, 0, KILLS) + int(r.group_leakers[0]) == n_threats * r.trials


# --- case 5: two layers, each thinning ---------------------------------------------------

def test_case5_two_layers():
    s = load("case5_two_layers.toml")
    upper, lower = s.layers
    n_threats = s.threats[0].count
    k1 = upper.engagement_kill_probability("BM")
    k2 = lower.engagement_kill_probability("BM")
    assert (n_threats, round(k1, 12), round(k2, 12)) == (24, 0.91, 0.96)
    for lay in s.layers:  # ample capacity
        assert lay.channels_per_unit >= n_threats
        assert lay.interceptors_per_unit >= n_threats * lay.shots_per_engagement
    leak = (1 - k1) * (1 - k2)
    mean, p0 = n_threats * leak, (1 - leak) ** n_threats
    assert_printed(mean, "0.0864", "case 5 mean leakers")
    assert_printed(p0, "0.9171", "case 5 P(no leak)")

    r = run(s, seed=107)
    assert_probability(p_no_leak(r), r.trials, p0, "case 5 P(no leak)")
    assert_leakers_mean(r, mean, "case 5")
    # Upper layer engages everything once; the lower layer engages its survivors.
    assert layer_total(r, 0, ENGAGEMENTS) == n_threats * r.trials
    assert layer_total(r, 0, INTERCEPTORS) == n_threats * 2 * r.trials
    assert_mean(layer_mean(r, 0, KILLS), binomial_sd(n_threats, k1), r.trials,
                n_threats * k1, "case 5 upper kills per trial")
    assert_mean(layer_mean(r, 1, ENGAGEMENTS), binomial_sd(n_threats, 1 - k1), r.trials,
                n_threats * (1 - k1), "case 5 lower engagements per trial")
    assert layer_total(r, 1, INTERCEPTORS) == 2 * layer_total(r, 1, ENGAGEMENTS)
    assert_mean(layer_mean(r, 1, KILLS), binomial_sd(n_threats, (1 - k1) * k2), r.trials,
                n_threats * (1 - k1) * k2, "case 5 lower kills per trial")


# --- case 6: common-mode failure (availability) --------------------------------------------

def test_case6_availability():
    s = load("case6_availability.toml")
    layer = s.layers[0]
    n_threats, avail = s.threats[0].count, layer.availability
    assert (n_threats, layer.shots_per_engagement, avail) == (20, 2, 0.9)
    assert layer.channels_per_unit >= n_threats
    assert layer.interceptors_per_unit >= n_threats * layer.shots_per_engagement
    k = layer.engagement_kill_probability("BM")
    p0_present, p0_absent = k ** n_threats, 0.0
    p0 = avail * p0_present + (1 - avail) * p0_absent
    mean = avail * n_threats * (1 - k) + (1 - avail) * n_threats
    assert_printed(p0, "0.3978", "case 6 P(no leak)")

    r = run(s, seed=108)
    assert_probability(p_no_leak(r), r.trials, p0, "case 6 P(no leak)")
    assert_leakers_mean(r, mean, "case 6")
    # Present in a fraction `avail` of trials; then exactly 20 engagements and an empty
    # magazine (40 = 20 salvoes), else nothing.
    assert layer_total(r, 0, ENGAGEMENTS) % n_threats == 0
    present = layer_total(r, 0, ENGAGEMENTS) // n_threats
    assert_probability(present / r.trials, r.trials, avail, "case 6 fraction of trials present")
    assert layer_total(r, 0, MAGAZINE_EMPTY) == present
    assert r.to_dict()["by_layer"]["allied"]["p_magazine_empty"] == present / r.trials


# --- case 7: fire-channel loss (Erlang B) ---------------------------------------------------

def test_case7_erlang_closed_forms():
    assert_printed(erlang_b(4, 2.0), "0.095238", "B(4, 2)")
    assert_printed(erlang_b(10, 30.0), "0.6813", "B(10, 30)")
    assert_printed(erlang_b(100, 300.0), "0.6683", "B(100, 300)")
    # The recursion against the defining formula a^c/c! / sum_k a^k/k!.
    a, c = 2.0, 4
    direct = (a ** c / math.factorial(c)) / sum(a ** j / math.factorial(j) for j in range(c + 1))
    assert erlang_b(c, a) == pytest.approx(direct, rel=1e-14)


#: Trials for case 7; each trial is 20,000 launches.
CASE7_TRIALS = 400


def test_case7_erlang_b_4_2():
    """Uniform launches over a long span against 4 channels that must engage on arrival.

    The fraction leaking tends to B(4, 2) as the span grows. For a finite span the
    expected number of leakers is N B - delta, where delta (the leaks saved because
    the channels start idle, plus the effect of fixing N rather than drawing it from
    a Poisson law) is O(1) whatever the span. delta was measured with the engine, same
    layer and rate, at spans of 50 s to 2,000 s (5 to 200 flyouts; N = 10 to 400;
    1e5 to 4e5 trials): delta = 0.35 to 0.38 leakers (SE 0.001 to 0.017) at every
    span, and 0.3 to 0.5 (SE 0.09) at 10,000 s. It has converged within a few
    flyouts, as expected at this light load (idle gaps 1/lambda = 5 s against a 10 s
    flyout, so the channels' phases forget the idle start within a few cycles).
    With N = 20,000 over 100,000 s the bias of the mean is 0.37 leakers against an SE
    of about 39 / sqrt(400) = 1.95 leakers: under 0.2 SE, less than 5% of the 4-SE
    tolerance. (Heavy load is different. At B(10, 30) the measured delta was about 2
    leakers and still moving between spans of 100 s and 1,000 s (fixed flyouts keep
    the channels' phases locked for many cycles when idle gaps are short), while the
    SD of leakers is only about 8 at N = 30,000, so a 4-SE check would not have the
    bias well below its tolerance at an affordable N; B(10, 30) and B(100, 300) are
    checked in closed form only.)
    """
    s = load("case7_erlang_b_4_2.toml")
    (group,) = s.threats
    (layer,) = s.layers
    e = layer.engage["BM"]
    assert group.launch.pattern == "uniform" and group.launch.start_s == 0.0
    assert e.window_s == (0.0, layer.flyout_s)  # must be engaged on arrival
    assert (e.sspk, layer.reliability, layer.detection) == (1.0, 1.0, 1.0)
    assert layer.fire_units == 1 and layer.max_engagements == 1
    assert layer.interceptors_per_unit >= group.count * layer.shots_per_engagement
    n_threats = group.count
    lam = n_threats / group.launch.span_s
    c, a = layer.channels_per_unit, lam * layer.flyout_s
    assert (c, a) == (4, pytest.approx(2.0))
    assert layer.flyout_s * 1000 <= group.launch.span_s  # "long": 10,000 flyouts
    b = erlang_b(c, a)
    assert_printed(b, "0.095238", "B(4, 2)")
    assert s.capacity == 4 and s.raid_ratio == n_threats / 4

    r = run(s, seed=109, trials=CASE7_TRIALS)
    # p = 1 and ample interceptors: every threat is either engaged (and killed) or leaks.
    assert layer_total(r, 0, KILLS) == layer_total(r, 0, ENGAGEMENTS)
    assert layer_total(r, 0, ENGAGEMENTS) + int(r.group_leakers[0]) == n_threats * r.trials
    # Fraction leaking: the mean over trials of leakers / N, SE = std / (N sqrt(trials)).
    assert_mean(r.leakers_mean / n_threats, r.leakers_std / n_threats, r.trials, b,
                "case 7 fraction leaking vs B(4, 2)")
