"""The one message catalogue of the report room, in English and Japanese.

Every word that reaches a figure, the PDF brief or the Markdown brief comes
from :data:`MESSAGES`, so a label cannot be translated in one place and
forgotten in another. Messages are :meth:`str.format` templates; both
languages of a message take the same fields (a test checks this).
"""

from __future__ import annotations

import string
from typing import Any

LANGS = ("en", "ja")

#: message id -> {language: template}
MESSAGES: dict[str, dict[str, str]] = {
    # --- axes and series --------------------------------------------------------
    "axis_raid_ratio": {"en": "Raid size ÷ engagement capacity",
                        "ja": "攻撃規模 ÷ 迎撃能力（交戦数）"},
    "leakers_mean": {"en": "Warheads leaking (mean per raid)",
                     "ja": "突破した弾頭数（1回の攻撃あたり平均）"},
    "leak_fraction": {"en": "Share of warheads leaking", "ja": "突破した弾頭の割合"},
    "monte_carlo": {"en": "Simulation", "ja": "シミュレーション"},
    "naive": {"en": "Naive count max(0, 1 − 1/r)", "ja": "単純計算 max(0, 1 − 1/r)"},
    "three_x": {"en": "3× capacity", "ja": "能力の3倍"},
    "probability": {"en": "Probability per raid", "ja": "1回の攻撃あたりの確率"},
    "p_at_least_1": {"en": "At least 1 warhead leaks", "ja": "1発以上突破"},
    "p_at_least_k": {"en": "At least {k} warheads leak", "ja": "{k}発以上突破"},
    "interceptors": {"en": "Interceptors fired (mean per raid)",
                     "ja": "発射した迎撃弾数（1回の攻撃あたり平均）"},
    "p_empty": {"en": "P(magazine empty at the end)", "ja": "弾庫が尽きる確率"},
    "cost_axis": {"en": "Cost per raid (scenario's unit)", "ja": "1回の攻撃あたりの費用（シナリオの単位）"},
    "defender": {"en": "Defender (interceptors)", "ja": "防御側（迎撃弾）"},
    "attacker": {"en": "Attacker (missiles launched)", "ja": "攻撃側（発射したミサイル）"},
    "exchange_axis": {"en": "Defender cost ÷ attacker cost", "ja": "防御側費用 ÷ 攻撃側費用"},
    "parity": {"en": "Parity", "ja": "同額"},
    "p_any_leak": {"en": "P(at least one warhead leaks)", "ja": "1発以上突破する確率"},
    "contour_ci": {"en": "dashed: 95% CI of each contour", "ja": "破線: 各等高線の95%信頼区間"},
    "ci_band": {"en": "bands: 95% CI", "ja": "帯: 95%信頼区間"},
    "ci_bound": {"en": "bands: conservative 95% CI", "ja": "帯: 保守的な95%信頼区間"},
    "ci_layers": {"en": "bands: 95% CI (conservative for interceptors fired)",
                  "ja": "帯: 95%信頼区間（迎撃弾数は保守的）"},
    "ci_layers_narrow": {"en": "95% CI bands (conservative for interceptors fired): narrower "
                               "than the lines",
                         "ja": "95%信頼区間の帯（迎撃弾数は保守的）は線幅より狭い"},
    "ci_band_narrow": {"en": "95% CI bands: narrower than the lines",
                       "ja": "95%信頼区間の帯は線幅より狭い"},
    "ci_bound_narrow": {"en": "conservative 95% CI bands: narrower than the lines",
                        "ja": "保守的な95%信頼区間の帯は線幅より狭い"},
    # --- sweep keys ---------------------------------------------------------------
    "key_fire_units": {"en": "Fire units in {layer}", "ja": "{layer} の射撃ユニット数"},
    "key_prelaunch_kill": {"en": "Pre-launch kill probability (counterstrike)",
                           "ja": "発射前撃破確率（反撃）"},
    "key_threat_prelaunch_kill": {"en": "Pre-launch kill probability of {threat}",
                                  "ja": "{threat} の発射前撃破確率"},
    "key_count": {"en": "Missiles of {threat}", "ja": "{threat} の発射数"},
    "key_sspk": {"en": "SSPK of {layer} against {threat}", "ja": "{layer} の {threat} に対する単発撃墜確率"},
    "key_layer_field": {"en": "{layer}: {field}", "ja": "{layer}: {field}"},
    "where_rr": {"en": "{r}× capacity", "ja": "能力の{r}倍"},
    "where_key": {"en": "{key} = {x}", "ja": "{key} = {x}"},
    "where_prelaunch": {"en": "a pre-launch kill probability of {x}",
                        "ja": "発射前撃破確率{x}"},
    "where_fire_units": {"en": "{x} fire units in {layer}", "ja": "{layer} の射撃ユニット{x}個"},
    # --- findings (figure titles) ---------------------------------------------------
    "find_rr_leak": {"en": "At {where}, {pct} of warheads leak (naive count: {naive})",
                     "ja": "{where}の攻撃で弾頭の{pct}が突破（単純計算では{naive}）"},
    "find_leak_below1": {"en": "Fewer than 1 warhead leaks on average from {where}",
                         "ja": "{where}で平均突破数が1発未満に"},
    "find_leak_still": {"en": "Even at {where}, {y} warheads leak on average",
                        "ja": "{where}でも平均{y}発が突破"},
    "find_leak_at": {"en": "At {where}, {y} warheads leak on average",
                     "ja": "{where}で平均{y}発が突破"},
    "find_p_even": {"en": "Even at {where}, at least one warhead leaks in {pct} of raids",
                    "ja": "{where}でも{pct}の確率で1発以上が突破"},
    "find_p_likely": {"en": "From {where}, a leak is more likely than not",
                      "ja": "{where}から、1発以上突破する確率が50%を超える"},
    "find_p_below": {"en": "P(any leak) falls to 5% or less at {where}",
                     "ja": "{where}で1発以上突破する確率が5%以下に"},
    "find_p_at": {"en": "At {where}, at least one warhead leaks in {pct} of raids",
                  "ja": "{where}では{pct}の確率で1発以上が突破"},
    "find_dry_from": {"en": "From {where}, {layer} runs out of interceptors in most raids",
                      "ja": "{where}から、{layer} は過半の攻撃で迎撃弾を撃ち尽くす"},
    "find_fired_at": {"en": "At {where}, the defence fires {n} interceptors per raid",
                      "ja": "{where}で防御側は1回の攻撃に平均{n}発の迎撃弾を発射"},
    "find_cost": {"en": "At {where}, the defence spends {ratio} for every 1 the attacker spends",
                  "ja": "{where}では防御側の費用が攻撃側の{ratio}倍"},
    "find_grid_safe": {"en": "P(any leak) is 5% or less in {n} of {total} combinations",
                       "ja": "{total}通り中{n}通りで1発以上突破する確率が5%以下"},
    "find_grid_none": {"en": "P(any leak) exceeds 5% everywhere on this grid (lowest {pmin})",
                       "ja": "この範囲のすべての組合せで1発以上突破する確率が5%超（最小{pmin}）"},
    "find_family": {"en": "Mean leakers range from {lo} to {hi} across the grid",
                    "ja": "平均突破数はこの範囲で{lo}〜{hi}発"},
    # --- panel titles -----------------------------------------------------------------
    "panel_leakers": {"en": "Warheads leaking", "ja": "突破した弾頭数"},
    "panel_fraction": {"en": "Share of the warheads", "ja": "弾頭に占める割合"},
    "panel_fired": {"en": "Interceptors fired", "ja": "発射した迎撃弾"},
    "panel_empty": {"en": "Magazine empty", "ja": "弾庫切れ"},
    "panel_cost": {"en": "Cost per raid", "ja": "1回の攻撃あたりの費用"},
    "panel_exchange": {"en": "Cost exchange", "ja": "費用交換比"},
    # --- provenance ---------------------------------------------------------------------
    "footer": {"en": "{scenario} · {trials} trials per point · seed {seed} · saturation-sim "
                     "{version} · {date} · scenario {hash}",
               "ja": "{scenario} · 各点 {trials} 回試行 · シード {seed} · saturation-sim "
                     "{version} · {date} · シナリオ {hash}"},
    # --- brief --------------------------------------------------------------------------
    "brief_title": {"en": "Saturation brief: {scenario}", "ja": "飽和攻撃ブリーフ: {scenario}"},
    "brief_method": {"en": "Monte Carlo, {trials} trials per point, seed {seed}; raid sizes are "
                           "multiples of the nominal engagement capacity ({capacity} "
                           "engagements).",
                     "ja": "モンテカルロ法、各点 {trials} 回試行、シード {seed}。攻撃規模は公称迎撃"
                           "能力（{capacity} 交戦）の倍数。"},
    "brief_as_written": {"en": "As written, the raid is {raid} missiles: {ratio}× capacity.",
                         "ja": "シナリオどおりの攻撃は {raid} 発で、能力の {ratio} 倍。"},
    "key_numbers": {"en": "Key numbers", "ja": "主要な数値"},
    "col_ratio": {"en": "Raid ÷ capacity", "ja": "攻撃規模 ÷ 能力"},
    "col_raid": {"en": "Missiles", "ja": "ミサイル数"},
    "col_leakers": {"en": "Mean leakers [95% CI]", "ja": "平均突破数 [95%信頼区間]"},
    "col_p_any": {"en": "P(any leak) [95% CI]", "ja": "1発以上突破する確率 [95%信頼区間]"},
    "col_share": {"en": "Share leaking", "ja": "突破割合"},
    "col_fired": {"en": "Interceptors fired", "ja": "発射した迎撃弾"},
    "no_capacity": {"en": "The defence has no engagement capacity, so there is no raid-ratio "
                          "sweep.",
                    "ja": "防御側の迎撃能力が0のため、攻撃規模の掃引はない。"},
    "scenario_table": {"en": "Scenario", "ja": "シナリオ"},
    "threats": {"en": "Raid", "ja": "攻撃側"},
    "layers": {"en": "Defence layers (outer first)", "ja": "防御層（外側から）"},
    "sspk_heading": {"en": "Single-shot kill probability (SSPK), layer against threat",
                     "ja": "単発撃墜確率（SSPK）: 防御層 × 脅威"},
    "col_layer": {"en": "Layer", "ja": "防御層"},
    "col_name": {"en": "Name", "ja": "名前"},
    "col_count": {"en": "Count", "ja": "数"},
    "col_kind": {"en": "Kind", "ja": "種類"},
    "col_launch": {"en": "Launch", "ja": "発射"},
    "col_cost": {"en": "Cost", "ja": "費用"},
    "col_pk": {"en": "Pre-launch kill", "ja": "発射前撃破"},
    "col_units": {"en": "Fire units", "ja": "射撃ユニット"},
    "col_channels": {"en": "Channels / unit", "ja": "チャンネル/ユニット"},
    "col_magazine": {"en": "Interceptors / unit", "ja": "迎撃弾/ユニット"},
    "col_shots": {"en": "Shots / engagement", "ja": "射数/交戦"},
    "col_avail": {"en": "Availability", "ja": "稼働率"},
    "col_capacity": {"en": "Capacity", "ja": "能力"},
    "warhead": {"en": "warhead", "ja": "弾頭"},
    "decoy": {"en": "decoy", "ja": "デコイ"},
    "launch_uniform": {"en": "uniform {a}–{b} s", "ja": "{a}〜{b} 秒に一様"},
    "launch_simultaneous": {"en": "all at {t} s", "ja": "{t} 秒に一斉"},
    "launch_waves": {"en": "waves: {waves} s", "ja": "波状: {waves} 秒"},
    "figures": {"en": "Figures", "ja": "図"},
    "sweeps_note": {"en": "Sweeps (in {dir}; a rerun resumes them): {names}.",
                    "ja": "掃引（{dir} に保存、再実行で再開）: {names}。"},
    "none": {"en": "—", "ja": "—"},
}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


class Messages:
    """The catalogue in one language: ``msg("key_fire_units", layer="upper")``.

    Parameters
    ----------
    lang
        ``"en"`` or ``"ja"``.

    Raises
    ------
    ValueError
        For another language.
    """

    def __init__(self, lang: str = "en"):
        if lang not in LANGS:
            raise ValueError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")
        self.lang = lang

    def __call__(self, msg_id: str, /, **fields: Any) -> str:
        return MESSAGES[msg_id][self.lang].format(**fields)

    def number(self, x: float, digits: int = 1) -> str:
        """A number for a title or table: thousands separators, trailing zeros trimmed."""
        if abs(x - round(x)) < 1e-9:
            return f"{round(x):,}"
        text = f"{x:,.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def percent(self, p: float, digits: int = 0) -> str:
        """A probability as a percentage: ``digits`` decimals between 1% and 99%, and
        up to two beyond, where they matter (``0.04%``, ``99.98%``)."""
        if p <= 0:
            return "0%"
        if p >= 1:
            return "100%"
        v = 100 * p
        if 1 <= v <= 99:
            return f"{v:.{digits}f}%"
        # Near 0 and 100 keep two decimals, so 99.98% never reads as a certain "100%".
        if v < 0.005:
            return "<0.01%"
        if v >= 99.995:
            return ">99.99%"
        return f"{v:.2f}".rstrip("0").rstrip(".") + "%"


def check_catalogue() -> list[str]:
    """Problems in :data:`MESSAGES` (missing languages, mismatched fields); empty when sound."""
    problems = []
    for key, texts in MESSAGES.items():
        if set(texts) != set(LANGS):
            problems.append(f"{key}: languages {sorted(texts)}")
        elif len({frozenset(_fields(t)) for t in texts.values()}) != 1:
            problems.append(f"{key}: fields differ between languages")
    return problems
