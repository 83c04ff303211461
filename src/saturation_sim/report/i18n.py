"""The one message catalogue of the report room, in English and Japanese.

Every word that reaches a figure, the PDF brief or the Markdown brief comes
from :data:`MESSAGES`, so a label cannot be translated in one place and
forgotten in another. Messages are :meth:`str.format` templates; both
languages of a message take the same fields (a test checks this).
"""

from __future__ import annotations

import string
from typing import Any

from .errors import ReportError

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
    "cost_axis": {"en": "Cost per raid ({unit})", "ja": "1回の攻撃あたりの費用（{unit}）"},
    "defender": {"en": "Defender (interceptors)", "ja": "防御側（迎撃弾）"},
    "attacker": {"en": "Attacker (missiles launched)", "ja": "攻撃側（発射したミサイル）"},
    "exchange_axis": {"en": "Defender cost ÷ attacker cost", "ja": "防御側費用 ÷ 攻撃側費用"},
    "parity": {"en": "Parity", "ja": "同額"},
    "p_any_leak": {"en": "P(at least one warhead leaks)", "ja": "1発以上突破する確率"},
    "band_note": {"en": "Shaded bands: 95% confidence intervals of the simulation",
                  "ja": "網掛けの帯: シミュレーションの95%信頼区間"},
    "band_note_narrow": {"en": "95% confidence bands of the simulation are narrower than "
                               "the lines",
                         "ja": "シミュレーションの95%信頼区間の帯は線幅より狭い"},
    "band_note_bound": {"en": "Shaded bands: conservative 95% confidence intervals",
                        "ja": "網掛けの帯: 保守的な95%信頼区間"},
    "today": {"en": "today: {x}", "ja": "現状: {x}"},
    "cost_axis_added": {"en": "Interceptors added, cost ({unit})",
                        "ja": "追加する迎撃弾の費用（{unit}）"},
    "cost_unit_default": {"en": "scenario's cost unit", "ja": "シナリオの費用単位"},
    "regime_below": {"en": "below capacity", "ja": "能力以下"},
    "regime_channel": {"en": "channel-limited", "ja": "射撃チャンネルが上限"},
    "regime_magazine": {"en": "magazine-limited", "ja": "弾庫が上限"},
    "regime_floor": {"en": "kill-probability floor", "ja": "撃墜確率の下限"},
    "p_empty_availability": {"en": "plateau = availability {p}: the layer is absent otherwise",
                             "ja": "水平部分 = 稼働率 {p}（それ以外は不在）"},
    "contour_label": {"en": "P(any leak) = {p}", "ja": "1発以上突破する確率 = {p}"},
    "fire_units_noun": {"en": "fire units", "ja": "射撃ユニット"},
    "units_phrase": {"en": "{n} {noun}", "ja": "{noun}数{n}"},
    # --- sweep keys ---------------------------------------------------------------
    "key_fire_units": {"en": "{noun} in {layer}", "ja": "{layer}の{noun}数"},
    "key_prelaunch_kill": {"en": "Pre-launch kill probability (counterstrike)",
                           "ja": "発射前撃破確率（反撃）"},
    "key_threat_prelaunch_kill": {"en": "Pre-launch kill probability of {threat}",
                                  "ja": "{threat} の発射前撃破確率"},
    "key_count": {"en": "Missiles of {threat}", "ja": "{threat} の発射数"},
    "key_sspk": {"en": "SSPK of {layer} against {threat}", "ja": "{layer} の {threat} に対する単発撃墜確率"},
    "key_layer_field": {"en": "{layer}: {field}", "ja": "{layer}: {field}"},
    "key_track_capacity": {"en": "Tracks held at once by {layer}",
                           "ja": "{layer}の同時追尾数"},
    "key_share": {"en": "Share of {threat} aimed at {target}",
                  "ja": "{threat}のうち{target}に向けた割合"},
    "key_asset_value": {"en": "Value of {asset}", "ja": "{asset}の価値"},
    "open_ground": {"en": "open ground", "ja": "防護対象外の地域"},
    "panel_assets": {"en": "Leakers at each site", "ja": "防護対象ごとの突破"},
    "panel_damage": {"en": "Value-weighted damage", "ja": "価値で重み付けした被害"},
    "damage_axis": {"en": "Value × leakers (mean per raid)",
                    "ja": "価値 × 突破数（1回あたり平均）"},
    "assets_title": {"en": "{site} takes the most leakers, up to {n} per raid",
                     "ja": "最も多く突破されるのは{site}で、1回の攻撃あたり最大{n}発"},
    "where_rr": {"en": "{r}× capacity", "ja": "能力の{r}倍"},
    "where_key": {"en": "{key} = {x}", "ja": "{key} = {x}"},
    "where_prelaunch": {"en": "a pre-launch kill probability of {x}",
                        "ja": "発射前撃破確率{x}"},
    "where_fire_units": {"en": "{units} in {layer}", "ja": "{layer}の{units}"},
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
    "find_p_always": {"en": "A leak is all but certain at every point (P(any leak) ≥ {pct}): "
                            "the curves show how many warheads get through",
                      "ja": "すべての点で突破はほぼ確実（1発以上突破する確率 ≥ {pct}）。曲線は何発突破するかを示す"},
    "find_p_at": {"en": "At {where}, at least one warhead leaks in {pct} of raids",
                  "ja": "{where}では{pct}の確率で1発以上が突破"},
    "find_dry_from": {"en": "From {where}, {layer} runs out of interceptors in most raids",
                      "ja": "{where}から、{layer}は過半の攻撃で迎撃弾を撃ち尽くす"},
    "find_dry_from_site": {"en": "From {where}, {layer} runs out of interceptors at some site "
                                 "in most raids",
                           "ja": "{where}から、{layer}は過半の攻撃でいずれかの拠点の迎撃弾を撃ち尽くす"},
    "find_floor": {"en": "From {where}, more buys little: about {y} warheads still leak, "
                         "set by kill probabilities and engagement windows",
                   "ja": "{where}以上は効果が小さい: 撃墜確率と交戦窓により、なお平均約{y}発が突破"},
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
    "page_number": {"en": "{i} / {n}", "ja": "{i} / {n}"},
    # --- bottom line (page 1) -------------------------------------------------------------
    "bottom_line": {"en": "Bottom line", "ja": "結論"},
    "sentence_sep": {"en": " ", "ja": ""},
    "list_sep": {"en": "; ", "ja": "。"},
    "name_sep": {"en": ", ", "ja": "、"},
    "clause_sep": {"en": "; ", "ja": "、"},
    "verdict_overwhelmed": {"en": "Yes, in the sense that matters: at 3× capacity a shield-only "
                                  "defence is overwhelmed and most warheads get through.",
                            "ja": "重要な意味で「破綻」している。能力の3倍の攻撃に対し、盾だけの防御は飽和し、"
                                  "弾頭の過半が突破する。"},
    "verdict_strained": {"en": "Strained, not broken: at 3× capacity a shield-only defence still "
                               "stops most warheads, but a large minority gets through.",
                         "ja": "破綻ではなく逼迫。能力の3倍の攻撃でも盾だけの防御は弾頭の多くを止めるが、"
                               "少なからぬ数が突破する。"},
    "verdict_holds": {"en": "Not broken: at 3× capacity this defence still stops most "
                            "warheads.",
                      "ja": "破綻していない。能力の3倍の攻撃でも、この防御は弾頭の大半を止める。"},
    "bl_numbers": {"en": "Against {raid} missiles ({cap} engagements of capacity), on average "
                         "{m} of {w} warheads leak ({share}), and at least one leaks in {pany} "
                         "of raids.",
                   "ja": "{raid}発の攻撃（迎撃能力{cap}交戦）に対し、平均{w}発中{m}発（{share}）が突破し、"
                         "{pany}の攻撃で1発以上が突破する。"},
    "bl_magazine": {"en": "The limit is the magazine of {layer}, which runs dry in most raids "
                          "from {r}× capacity.",
                    "ja": "上限を決めるのは{layer}の弾庫で、能力の{r}倍から過半の攻撃で撃ち尽くす。"},
    "bl_magazine_site": {"en": "The limit is the magazine of {layer} at the sites the raid "
                               "reaches, which run dry in most raids from {r}× capacity.",
                         "ja": "上限を決めるのは攻撃が向かう拠点の{layer}の弾庫で、能力の{r}倍から"
                               "過半の攻撃で撃ち尽くす。"},
    "bl_channel": {"en": "The limit is the number of fire channels: magazines last, but not every "
                         "missile is engaged.",
                   "ja": "上限を決めるのは射撃チャンネルの数で、弾庫は残るがすべてのミサイルとは交戦できない。"},
    "bl_floor": {"en": "Every missile is engaged and magazines last: what leaks is set by kill "
                       "probabilities.",
                 "ja": "すべてのミサイルと交戦し弾庫も残る。突破数を決めるのは撃墜確率である。"},
    "bl_below": {"en": "The raid is within capacity: what leaks gets through by misses.",
                 "ja": "攻撃は能力以内であり、突破は撃ち損じによる。"},
    "bl_aim": {"en": "Where it is aimed matters too: concentrated on {site}, {worst} warheads "
                     "leak instead of {spread} spread evenly ({damage}× the value-weighted "
                     "damage), at the same national ratio.",
               "ja": "照準も重要である。{site}に集中すると、均等に分散した場合の{spread}発に対し"
                     "{worst}発が突破し（価値で重み付けした被害は{damage}倍）、全国の比率は変わらない。"},
    "bl_levers": {"en": "What would change it, against the raid as written ({ratio}× capacity): "
                        "{levers}.",
                  "ja": "シナリオどおりの攻撃（能力の{ratio}倍）に対して状況を変えうるもの: {levers}。"},
    "lever_fire_units": {"en": "{more} in {layer} instead of {now} cut mean leakers from {a} to "
                               "{b} (−{pct})",
                         "ja": "{layer}を{now}から{more}に増やすと平均突破数は{a}発から{b}発に（−{pct}）"},
    "lever_floor": {"en": ", almost all of it by {units}", "ja": "、その大半は{units}までで得られる"},
    "lever_cost": {"en": " (interceptors alone: {cost})", "ja": "（迎撃弾だけで{cost}）"},
    "lever_counterstrike": {"en": "destroying each missile before launch with probability {p} "
                                  "cuts them from {a} to {b} (−{pct})",
                            "ja": "発射前に各ミサイルを確率{p}で撃破すると{a}発から{b}発に（−{pct}）"},
    "naive_heading": {"en": "Why the naive count misleads", "ja": "単純計算が誤解を招く理由"},
    "naive_intro": {"en": "The naive count says that a raid r times the capacity ({cap} "
                          "engagements) lets 1 − 1/r of the warheads through, as if every "
                          "engagement killed one missile and nothing else leaked.",
                    "ja": "単純計算では、能力（{cap}交戦）のr倍の攻撃で弾頭の 1 − 1/r が突破するとする。"
                          "すべての交戦が1発を確実に撃墜し、それ以外は漏れないという前提である。"},
    "naive_below": {"en": "It errs in both directions. Below capacity it says nothing leaks, but "
                          "kill probabilities are below one: at 1× capacity {s1} of warheads "
                          "still get through.",
                    "ja": "この計算は両方向に誤る。能力以下では突破ゼロとなるが、撃墜確率は1未満であり、"
                          "能力の1倍でも弾頭の{s1}が突破する。"},
    "naive_above_lower": {"en": "Above capacity it overstates the leak here ({s3} at 3×, not "
                                "{n3}): the capacity counts a raid arriving at once, and a raid "
                                "spread over time lets fire channels engage again.",
                          "ja": "能力を超えると、ここでは突破を過大に見積もる（3倍で{n3}ではなく{s3}）。"
                                "能力は一斉に到達する攻撃で数えるが、時間的に分散した攻撃では射撃チャンネルが"
                                "再び交戦できるためである。"},
    "naive_above_higher": {"en": "Above capacity it understates the leak here ({s3} at 3×, not "
                                 "{n3}): engagements miss, and magazines run dry before the raid "
                                 "is over.",
                           "ja": "能力を超えると、ここでは突破を過小に見積もる（3倍で{n3}ではなく{s3}）。"
                                 "交戦は外れることがあり、攻撃が終わる前に弾庫が尽きるためである。"},
    "naive_above_higher_decoys": {"en": "Above capacity it understates the leak here ({s3} at "
                                        "3×, not {n3}): engagements miss, decoys draw "
                                        "interceptors, and magazines run dry before the raid is "
                                        "over.",
                                  "ja": "能力を超えると、ここでは突破を過小に見積もる（3倍で{n3}ではなく{s3}）。"
                                        "交戦は外れることがあり、デコイが迎撃弾を引きつけ、攻撃が終わる前に"
                                        "弾庫が尽きるためである。"},
    "naive_above_close": {"en": "Above capacity the two errors happen to cancel here ({s3} at "
                                "3×, naive {n3}); with other windows or kill probabilities they "
                                "would not.",
                          "ja": "能力を超えると、ここでは二つの誤差がたまたま相殺する（3倍で{s3}、単純計算"
                                "{n3}）。交戦窓や撃墜確率が違えば相殺しない。"},
    "findings": {"en": "Findings, most important first", "ja": "主な知見（重要な順）"},
    "findings_more": {"en": "{n} more findings head their figures.",
                      "ja": "ほか{n}件の知見は各図の見出しにある。"},
    "assumptions": {"en": "Assumptions: every input", "ja": "前提: すべての入力"},
    "continued": {"en": "{heading} (continued)", "ja": "{heading}（続き）"},
    "assumptions_note": {"en": "Source tags and ranges are read from the notes in the "
                               "scenario file: an assumption is a number chosen by the "
                               "scenario's author, not a published figure; a public source "
                               "cites a dated publication; an author's note explains a number "
                               "without either.",
                         "ja": "出典の区分と範囲はシナリオファイルの注記から読み取る。「仮定」はシナリオ作成者が"
                               "選んだ数値で公表値ではない。「公開資料」は年の記された刊行物を引く。「作成者の注記」は"
                               "そのどちらでもない説明である。注記は原文（英語）のまま示す。"},
    "col_input": {"en": "Input", "ja": "入力"},
    "col_value": {"en": "Value", "ja": "値"},
    "col_unit": {"en": "Unit", "ja": "単位"},
    "col_source": {"en": "Source", "ja": "出典"},
    "col_range": {"en": "Range", "ja": "範囲"},
    "col_note": {"en": "Note in the scenario file", "ja": "シナリオファイルの注記（原文）"},
    "tag_assumption": {"en": "Assumption", "ja": "仮定"},
    "tag_source": {"en": "Public source", "ja": "公開資料"},
    "tag_note": {"en": "Author's note", "ja": "作成者の注記"},
    "inputs_scenario": {"en": "Whole raid", "ja": "攻撃全体"},
    "inputs_threat": {"en": "Threat", "ja": "脅威"},
    "inputs_layer": {"en": "Defence layer", "ja": "防御層"},
    "inputs_assets": {"en": "Defended sites", "ja": "防護対象"},
    "in_site_value": {"en": "Value of {site}", "ja": "{site}の価値"},
    "unit_value": {"en": "weight of one leaker there", "ja": "そこでの突破1発の重み"},
    "in_targets": {"en": "Aim: share at each site", "ja": "照準: 防護対象ごとの割合"},
    "in_area": {"en": "Area defence of every site", "ja": "全防護対象の地域防衛"},
    "area_open": {"en": "also of open ground", "ja": "防護対象外の地域も含む"},
    "area_no_open": {"en": "not of open ground", "ja": "防護対象外の地域は含まない"},
    "in_fire_units_at": {"en": "Point defence: {noun} per site",
                         "ja": "拠点防衛: 防護対象ごとの{noun}"},
    "in_defends": {"en": "Point defence of", "ja": "拠点防衛の対象"},
    "in_track_capacity": {"en": "Tracks held at once, per site",
                          "ja": "同時追尾数（防護対象ごと）"},
    "unit_tracks": {"en": "threats", "ja": "目標"},
    "dist_named": {"en": "{name}: {range}", "ja": "{name}: {range}"},
    "in_prelaunch": {"en": "Pre-launch kill probability", "ja": "発射前撃破確率"},
    "in_count": {"en": "Number launched", "ja": "発射数"},
    "in_launch": {"en": "Launch times", "ja": "発射時刻"},
    "in_cost_missile": {"en": "Cost per missile", "ja": "1発あたりの費用"},
    "in_fire_units": {"en": "Number of {noun}", "ja": "{noun}数"},
    "in_channels_per_unit": {"en": "Fire channels", "ja": "射撃チャンネル"},
    "in_interceptors_per_unit": {"en": "Interceptors", "ja": "迎撃弾"},
    "in_shots_per_engagement": {"en": "Shots per engagement", "ja": "1交戦あたりの射数"},
    "in_max_engagements": {"en": "Engagements per threat", "ja": "1目標あたりの交戦数"},
    "in_flyout_s": {"en": "Flyout time per engagement", "ja": "1交戦の飛翔時間"},
    "in_reliability": {"en": "Interceptor reliability", "ja": "迎撃弾の信頼性"},
    "in_detection": {"en": "Detection in time", "ja": "適時の探知"},
    "in_discrimination": {"en": "Decoys recognised", "ja": "デコイの識別率"},
    "in_availability": {"en": "Availability (layer present)", "ja": "稼働率（層が参加する確率）"},
    "in_interceptor_cost": {"en": "Cost per interceptor", "ja": "迎撃弾1発の費用"},
    "in_engage": {"en": "Against {threat}", "ja": "{threat}に対して"},
    "engage_value": {"en": "SSPK {sspk}; window {a}–{b} s", "ja": "SSPK {sspk}、交戦窓 {a}〜{b} 秒"},
    "unit_probability": {"en": "probability", "ja": "確率"},
    "unit_share": {"en": "share", "ja": "割合"},
    "unit_s_raid": {"en": "seconds from the raid's start", "ja": "攻撃開始からの秒"},
    "unit_seconds": {"en": "seconds", "ja": "秒"},
    "unit_per": {"en": "per one of the {noun}", "ja": "{noun}1つあたり"},
    "unit_shots": {"en": "interceptors", "ja": "発"},
    "unit_engagements": {"en": "engagements (over 1: shoot-look-shoot)",
                         "ja": "交戦（2以上で射撃・確認・射撃）"},
    "unit_engage": {"en": "per shot; s after launch", "ja": "1発あたり、発射後の秒"},
    "unit_warhead": {"en": "missiles", "ja": "発"},
    "unit_decoy": {"en": "decoys", "ja": "個"},
    # --- limits page -------------------------------------------------------------------
    "limits": {"en": "Limits: what the model leaves out, and how each would move the answer",
               "ja": "限界: モデルが扱わないもの、それぞれが答えをどう動かすか"},
    "limit_campaign": {
        "en": "Days, not adaptation. Reloads are ready the next morning, launchers are lost "
              "at a fixed daily rate and never rebuilt, and the attacker never holds missiles "
              "back: the answer can move either way.",
        "ja": "日ごとの推移であり、適応し合う戦いではない。弾薬庫からの再装填は翌朝には完了し、発射機は"
              "一定の日率で失われ再建されない。攻撃側は毎日撃てるだけ撃ち、ミサイルを温存せず、防御の"
              "弱まりに応じて戦術を変えることもない。いずれも答えをどちらの方向にも動かしうる。"},
    "limits_items": {
        "en": "No map. Every fire unit can engage every missile in its window; real terminal "
              "defences cover a point tens of kilometres across. Pooling them overstates the "
              "defence and what adding fire units buys: the true leak is likely higher.\n"
              "No targets, no damage. Every warhead counts the same and the defence fires at "
              "whatever comes first. Defending priority assets and ignoring missiles aimed at "
              "open ground would lower the harm done; an attacker aiming at the best-defended "
              "sites would raise it. Mean leakers is not damage.\n"
              "One raid. No reloads during it, no second raid, no production. A defence that "
              "ends the first raid with empty magazines faces the next one weaker: over a "
              "campaign the answer is worse than one raid shows.\n"
              "Independent failures. Apart from a whole layer being absent, every detection, "
              "interceptor and kill is an independent draw. A jammed radar, a lost data link or "
              "a kill probability lower than assumed for every shot at once would make bad "
              "outcomes more likely than these distributions say.\n"
              "A fixed adversary. The raid does not adapt to the defence: no shift to the "
              "weakest layer, no extra decoys, no dispersal against counterstrike. Every lever "
              "looks better here than against an adversary who responds.\n"
              "Kill probabilities and loads are assumptions. They are not public; the "
              "assumptions pages give the ranges. The shape of the curves is more robust "
              "than any single number on them.",
        "ja": "地理がない。各層のすべての射撃ユニットが交戦窓内のすべてのミサイルと交戦できるとしているが、"
              "実際の終末段階の防御は直径数十キロメートルの地点しか守れない。これを合算すると防御と射撃ユニット"
              "追加の効果を過大に見積もる。実際の突破はより多い可能性が高い。\n"
              "目標も被害もない。すべての弾頭を同じに数え、防御側は先に来たものから撃つ。重要施設を優先し、"
              "何もない場所を狙うミサイルを見送れば被害は減り、攻撃側が最も守りの固い施設を狙えば増える。平均突破数は"
              "被害ではない。\n"
              "攻撃は1回だけ。攻撃中の再装填、第2撃、生産は扱わない。最初の攻撃で弾庫が尽きた防御は次の攻撃に"
              "弱い状態で臨む。作戦全体では1回の攻撃より答えは悪くなる。\n"
              "故障は独立。層全体の不在を除き、探知・迎撃弾・撃墜はすべて独立の試行である。レーダーの妨害、"
              "データリンクの喪失、全弾に共通する撃墜確率の過大評価があれば、悪い結果はこの分布より起こりやすい。\n"
              "攻撃側は適応しない。攻撃は防御に合わせて変わらない（最も弱い層への集中、デコイの追加、反撃に対する"
              "分散はない）。どの施策も、対応してくる相手に対してよりも良く見える。\n"
              "撃墜確率と搭載数は仮定である。これらは公表されておらず、範囲は前提のページに示す。曲線の形は、"
              "その上のどの一点の数値よりも頑健である。"},
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
    # --- how sure are we, and what drives the answer ([uncertainty]) ----------------
    "uq_heading": {"en": "How sure are we", "ja": "確からしさ：答えはどこまで確かか"},
    "uq_intro": {"en": "The scenario gives a range for {d} of its inputs (marked in the "
                       "assumptions table). {s} combinations of them, spread over the ranges by "
                       "a scrambled Sobol' design, were each run {how}.",
                 "ja": "このシナリオは{d}個の入力に範囲を与えている（前提一覧に明記）。その範囲から"
                       "スクランブル化ソボル列で{s}通りの組み合わせを選び、それぞれを{how}計算した。"},
    "uq_how_exact": {"en": "exactly", "ja": "厳密解で"},
    "uq_how_mc": {"en": "with {trials} Monte Carlo trials (the same random numbers for each)",
                  "ja": "モンテカルロ法{trials}回（全組み合わせで同じ乱数）で"},
    "uq_how_mixed": {"en": "exactly where that is tractable (runs over all raid sizes: {exact}) "
                           "and otherwise with {trials} Monte Carlo trials (runs: {mc})",
                     "ja": "厳密に解けるものは厳密解（全攻撃規模で{exact}件）、それ以外はモンテカルロ法"
                           "{trials}回（{mc}件）で"},
    "uq_range": {"en": "At {r}× capacity, between {lo} and {hi} of the warheads leak in 90% of "
                       "the combinations (middle half {q1} to {q3}; values as written {nom}).",
                 "ja": "能力の{r}倍では、組み合わせの90%で弾頭の{lo}〜{hi}が突破する（中央の半分は"
                       "{q1}〜{q3}、記載どおりの値では{nom}）。"},
    "uq_exceed": {"en": "More than {t1} leak in {p1} of the combinations, more than {t2} in "
                        "{p2}.",
                  "ja": "突破割合が{t1}を超える組み合わせは{p1}、{t2}を超えるものは{p2}。"},
    "uq_variance": {"en": "Of the spread of leakers at {r}×, {e} comes from what we do not know "
                          "(the inputs) and {a} from the luck of a single raid.",
                    "ja": "{r}倍での突破数のばらつきのうち、{e}は入力が分からないこと、{a}は"
                          "1回の攻撃ごとの偶然による。"},
    "uq_table_nominal": {"en": "As written", "ja": "記載値"},
    "uq_table_median": {"en": "Median", "ja": "中央値"},
    "uq_table_caption": {"en": "Share of warheads leaking across the combinations (quantiles).",
                         "ja": "組み合わせ全体での弾頭の突破割合（分位点）。"},
    "uq_independent": {"en": "The inputs are drawn independently of each other. Numbers that "
                             "would err together (one interceptor's kill probability on two "
                             "layers) make the true band, if anything, wider.",
                       "ja": "各入力は互いに独立に抽出している。実際には同じ方向に外れる数値"
                             "（二つの層で同じ迎撃弾の撃墜確率など）があり、真の幅はむしろ広い。"},
    "uq_bl_range": {"en": "Over the ranges of its uncertain inputs, {lo} to {hi} leak at 3× "
                          "(p05–p95 of {s} combinations).",
                    "ja": "不確かな入力の範囲全体では、3倍の攻撃で弾頭の{lo}〜{hi}が突破する（{s}通りの"
                          "組み合わせのp05–p95）。"},
    "uq_bl_holds": {"en": "The verdict holds across that range.",
                    "ja": "この範囲の全体で結論は変わらない。"},
    "uq_bl_low": {"en": "At its favourable end the defence would be {word}, not {nom}.",
                  "ja": "ただし有利な端では、防御は{nom}ではなく{word}となる。"},
    "uq_bl_high": {"en": "At its unfavourable end it would be {word}, not {nom}.",
                   "ja": "不利な端では{nom}ではなく{word}となる。"},
    "uq_word_overwhelmed": {"en": "overwhelmed", "ja": "飽和"},
    "uq_word_strained": {"en": "strained", "ja": "逼迫した状態"},
    "uq_word_holds": {"en": "holding up", "ja": "持ちこたえる状態"},
    "drivers_heading": {"en": "What drives the answer", "ja": "何が答えを左右するか"},
    "drivers_oat": {"en": "Each uncertain input was set to the low and then to the high end of "
                          "its range, the others as written ({runs} runs, at the raid as "
                          "written: {r}× capacity). The inputs that move the share of warheads "
                          "leaking most:",
                    "ja": "不確かな入力を一つずつ範囲の下限と上限に置き、他は記載どおりとした"
                          "（{runs}回の計算、記載どおりの攻撃＝能力の{r}倍）。弾頭の突破割合を"
                          "最も大きく動かす入力："},
    "drivers_oat_item": {"en": "{key}, {lo} to {hi}: {a} to {b}",
                         "ja": "{key}、{lo}〜{hi}：{a}〜{b}"},
    "drivers_sobol": {"en": "Sobol' indices share the variance of the share of warheads leaking "
                            "among the inputs ({runs} runs, at the raid as written: {r}× "
                            "capacity). The total-order index ST counts what an input does "
                            "alone and with others; S1 what it does alone. Largest:",
                      "ja": "ソボル指数は弾頭の突破割合の分散を入力ごとに配分する（{runs}回の計算、記載"
                            "どおりの攻撃＝能力の{r}倍）。総合指数STは単独と相互作用の寄与の合計、"
                            "1次指数S1は単独の寄与。大きい順："},
    "drivers_sobol_item": {"en": "{key}: ST {st} [{lo}, {hi}], alone S1 {s1}",
                           "ja": "{key}：ST {st}［{lo}, {hi}］、単独S1 {s1}"},
    "drivers_none": {"en": "No uncertain input moves the share of warheads leaking at the raid "
                           "as written.",
                     "ja": "記載どおりの攻撃では、どの不確かな入力も突破割合を動かさない。"},
    "drivers_use": {"en": "These are the numbers where better intelligence, or money, changes "
                          "the answer most; the inputs at the bottom of the chart can stay "
                          "rough.",
                    "ja": "情報収集や予算が答えを最も大きく変えるのはこれらの数値である。図の下位の"
                          "入力は粗い見積もりのままでよい。"},
    "drivers_oat_limit": {"en": "One at a time misses interactions between inputs. Sobol' indices "
                                "(saturation-sim sensitivity --method sobol) catch them, at "
                                "about {runs} runs for this scenario.",
                          "ja": "一つずつ動かす方法は入力間の相互作用を捉えない。ソボル指数"
                                "（saturation-sim sensitivity --method sobol）なら捉えられるが、"
                                "このシナリオでは約{runs}回の計算を要する。"},
    "dist_range": {"en": "{lo}–{hi} ({dist})", "ja": "{lo}〜{hi}（{dist}）"},
    "dist_range_mode": {"en": "{lo}–{hi}, mode {mode} ({dist})",
                        "ja": "{lo}〜{hi}、最頻値{mode}（{dist}）"},
    "dist_choice": {"en": "{values} ({dist})", "ja": "{values}（{dist}）"},
    "dist_sspk": {"en": "SSPK {range}", "ja": "撃墜確率 {range}"},
    "dist_window_0": {"en": "window opens {range}", "ja": "交戦窓の開始 {range}"},
    "dist_window_1": {"en": "window closes {range}", "ja": "交戦窓の終了 {range}"},
    "dist_uniform": {"en": "uniform", "ja": "一様"},
    "dist_triangular": {"en": "triangular", "ja": "三角"},
    "dist_loguniform": {"en": "log-uniform", "ja": "対数一様"},
    "dist_beta": {"en": "beta", "ja": "ベータ"},
    "dist_choice_name": {"en": "one of", "ja": "いずれか"},
    "assumptions_note_uq": {"en": "A range followed by its distribution is one the scenario "
                                  "samples in its [uncertainty] table (pages “How sure are we” "
                                  "and “What drives the answer”); the others are read from the "
                                  "file's notes only.",
                            "ja": "範囲の後に分布名があるものは、シナリオの[uncertainty]表で抽出する範囲"
                                  "（「確からしさ」「何が答えを左右するか」の各ページ）。その他は"
                                  "ファイルの注記から読んだもの。"},
    "uq_step": {"en": "uncertainty: {s} input samples × {n} raid sizes",
                "ja": "不確実性: 入力サンプル{s}個 × 攻撃規模{n}通り"},
    "drivers_step": {"en": "what drives the answer: {method}, {runs} runs",
                     "ja": "感度分析: {method}、{runs}回"},
    "sweeps_note": {"en": "Sweeps (in {dir}; a rerun resumes them): {names}.",
                    "ja": "掃引（{dir} に保存、再実行で再開）: {names}。"},
    "none": {"en": "—", "ja": "—"},
    # --- where the raid is aimed ([[assets]], report/aim.py) ---------------------------
    "aim_heading": {"en": "Where the raid is aimed", "ja": "攻撃はどこに向けられるか"},
    "aim_intro": {"en": "Counted nationally, the raid of {raid} missiles is {ratio} the pooled "
                        "engagement capacity of {capacity}. But a point-defence fire unit "
                        "engages only missiles aimed at its own site, so what matters is how "
                        "the attacker splits the raid over {sites}: evenly, or "
                        "concentrated where the damage is greatest.",
                  "ja": "全国で合算すると、{raid}発の攻撃は迎撃能力{capacity}交戦の{ratio}である。"
                        "しかし拠点防衛の射撃ユニットは、自らの防護対象に向かうミサイルとしか交戦"
                        "できない。問題は、攻撃側が{sites}の防護対象に攻撃をどう割り振るか、"
                        "つまり均等に分散するか、被害が最大になる場所に集中するかである。"},
    "aim_intro_area": {"en": "Counted nationally, the raid of {raid} missiles is {ratio} the "
                             "pooled engagement capacity of {capacity}. Every layer here defends "
                             "every site, so how the attacker splits the raid over {sites} "
                             "matters through what each site is worth, the share aimed at "
                             "open ground and the sensors' track limits.",
                       "ja": "全国で合算すると、{raid}発の攻撃は迎撃能力{capacity}交戦の{ratio}である。"
                             "ここではどの層もすべての防護対象を守るため、攻撃側が{sites}に攻撃を"
                             "どう割り振るかは、各防護対象の価値、防護対象外の地域に向かう割合、センサーの追尾"
                             "能力の上限を通じて効く。"},
    "aim_finding": {"en": "Spread evenly, {spread_leak} warheads leak (value-weighted damage "
                          "{spread_damage}). The worst aim found for the defender, “{aim}”, "
                          "lets {worst_leak} leak (damage {worst_damage}), {site_leak} of them "
                          "at {site}, where the raid is {site_ratio} the capacity that can "
                          "defend the site, against {national} nationally.",
                    "ja": "均等に分散すると突破は{spread_leak}発（価値で重み付けした被害"
                          "{spread_damage}）。防御側にとって最悪の照準として見つかった"
                          "「{aim}」では突破{worst_leak}発（被害{worst_damage}）、うち"
                          "{site_leak}発が{site}で突破する。そこでは攻撃が、その場所を守れる迎撃"
                          "能力の{site_ratio}に達する（全国では{national}）。"},
    "aim_finding_one": {"en": "Spread evenly, {spread_leak} warheads leak (value-weighted damage "
                              "{spread_damage}). The worst aim found for the defender, “{aim}”, "
                              "lets {worst_leak} leak (damage {worst_damage}), all at {site}, "
                              "where the raid is {site_ratio} the capacity that can defend the "
                              "site, against {national} nationally.",
                        "ja": "均等に分散すると突破は{spread_leak}発（価値で重み付けした被害"
                              "{spread_damage}）。防御側にとって最悪の照準として見つかった"
                              "「{aim}」では突破{worst_leak}発（被害{worst_damage}）で、すべて"
                              "{site}で突破する。そこでは攻撃が、その場所を守れる迎撃能力の"
                              "{site_ratio}に達する（全国では{national}）。"},
    "aim_no_gain": {"en": "Spread evenly, {leak} warheads leak (value-weighted damage "
                          "{damage}); no concentrated aim tried did more damage.",
                    "ja": "均等に分散すると突破は{leak}発（価値で重み付けした被害{damage}）。"
                          "試した集中的な照準のいずれも、これより大きな被害を与えなかった。"},
    "aim_method": {"en": "Each aim keeps the raid, the defence and each group's share aimed at "
                         "open ground, and re-splits the rest over the sites the group can "
                         "reach. Aims tried: {tried}; {trials} trials each with seed {seed}, the "
                         "same draws for every aim ({runs}). Damage is the sum over the "
                         "sites of value × warheads leaking there. Capacity there: engagements "
                         "of the fire units that can defend the site (area layers count at "
                         "every site). A cleverer attacker could find a worse aim.",
                   "ja": "各照準は攻撃規模・防御・各群が防護対象外の地域に向ける割合を変えず、残りを各群が届く"
                         "防護対象に割り振り直す。試した照準: {tried}。各{trials}回試行・シード"
                         "{seed}で、すべての照準に同じ乱数を使う（{runs}）。被害は各防護対象の"
                         "価値 × そこで突破した弾頭数の和。そこでの迎撃能力は、その場所を守れる射撃"
                         "ユニットの交戦数（地域防衛の層はどの場所でも数える）。より巧妙な攻撃側は、"
                         "さらに悪い照準を見つけうる。"},
    "aim_footer": {"en": "{scenario} · {trials} trials per aim · seed {seed} · saturation-sim "
                         "{version} · {date} · scenario {hash}",
                   "ja": "{scenario} · 各照準 {trials} 回試行 · シード {seed} · saturation-sim "
                         "{version} · {date} · シナリオ {hash}"},
    "aim_as_written": {"en": "as written in the scenario", "ja": "シナリオの記載どおり"},
    "aim_uniform": {"en": "spread evenly", "ja": "均等に分散"},
    "aim_by_value": {"en": "spread by value", "ja": "価値に比例して分散"},
    "aim_top_1": {"en": "all on the most valuable site", "ja": "最も価値の高い1か所に集中"},
    "aim_top_k": {"en": "all on the {k} most valuable sites", "ja": "価値の高い上位{k}か所に集中"},
    "aim_top_range": {"en": "all on the k most valuable sites (k = {lo} to {hi})",
                      "ja": "価値の高い上位 k か所に集中（k = {lo}〜{hi}）"},
    "aim_greedy": {"en": "greedy search", "ja": "貪欲探索"},
    "aim_col_site": {"en": "Site", "ja": "防護対象"},
    "aim_col_value": {"en": "Value", "ja": "価値"},
    "aim_col_capacity": {"en": "Capacity there", "ja": "そこでの迎撃能力"},
    "aim_col_aimed_spread": {"en": "Aimed: spread", "ja": "照準数: 分散"},
    "aim_col_aimed_worst": {"en": "Aimed: concentrated", "ja": "照準数: 集中"},
    "aim_col_leak_spread": {"en": "Leaking: spread", "ja": "突破: 分散"},
    "aim_col_leak_worst": {"en": "Leaking: concentrated", "ja": "突破: 集中"},
    "aim_total": {"en": "All sites (capacity pooled)", "ja": "全体（能力は合算）"},
    "aim_spread_series": {"en": "Spread evenly", "ja": "均等に分散"},
    "aim_worst_series": {"en": "Concentrated: {aim}", "ja": "集中: {aim}"},
    "aim_axis_leakers": {"en": "Warheads leaking there (mean per raid)",
                         "ja": "そこで突破した弾頭数（1回の攻撃あたり平均）"},
    "aim_panel_sites": {"en": "Leakers per site", "ja": "防護対象ごとの突破"},
    "aim_ratio_national": {"en": "Nationally (every fire unit pooled)",
                           "ja": "全国（全射撃ユニットを合算）"},
    "aim_ratio_site_spread": {"en": "At {site}, spread evenly", "ja": "{site}（均等に分散）"},
    "aim_ratio_site_worst": {"en": "At {site}, concentrated", "ja": "{site}（集中）"},
    "aim_axis_ratio": {"en": "Missiles aimed ÷ capacity", "ja": "照準数 ÷ 迎撃能力"},
    "aim_panel_ratio": {"en": "Raid ÷ capacity", "ja": "攻撃規模 ÷ 迎撃能力"},
    "aim_title": {"en": "Concentrated, {worst_leak} warheads leak, {site_leak} of them at "
                        "{site}, against {spread_leak} in all when the raid is spread evenly; "
                        "the national ratio is {national} either way",
                  "ja": "集中した攻撃では{worst_leak}発が突破し、うち{site_leak}発が{site}。"
                        "均等に分散すると{spread_leak}発。全国の比率はどちらも{national}"},
    "aim_title_one": {"en": "Concentrated on {site}, {worst_leak} warheads leak, all "
                            "there, against {spread_leak} in all when the raid is spread "
                            "evenly; the national ratio is {national} either way",
                      "ja": "{site}に集中した攻撃では{worst_leak}発が突破、均等に分散すると"
                            "{spread_leak}発。全国の比率はどちらも{national}"},
    "aim_title_no_gain": {"en": "Spread evenly, {leak} warheads leak; no concentrated aim "
                                "tried did more damage",
                          "ja": "均等に分散すると突破は{leak}発。試した集中的な照準は、これ以上の"
                                "被害を与えなかった"},
    "aim_note": {"en": "Bars: mean per raid; whiskers: 95% confidence intervals",
                 "ja": "棒: 1回の攻撃あたり平均、ひげ: 95%信頼区間"},
    "aim_step": {"en": "where the raid is aimed: attacker strategies over {sites}",
                 "ja": "攻撃の照準: {sites}に対する攻撃側の戦略"},
    "n_sites": {"en": "the {n} sites", "ja": "{n}か所"},
    "n_sites_one": {"en": "its one site", "ja": "1か所"},
    "n_runs": {"en": "{n} runs", "ja": "計{n}回"},
    "n_runs_one": {"en": "1 run", "ja": "計1回"},
    "limit_sites": {"en": "Sites, not a map. The fire units of a site defend it together, "
                          "though in reality they may stand tens of kilometres apart. Missiles "
                          "aimed at open ground or at places not listed are not counted: the "
                          "harm they do is left out.",
                    "ja": "地図ではなく防護対象。同じ防護対象の射撃ユニットは一体となって守るとして"
                          "いるが、実際には数十キロメートル離れていることがある。防護対象外の地域や一覧にない"
                          "場所に向かうミサイルは数えず、それらによる被害は含まれない。"},
    "limit_damage": {"en": "Damage is value-weighted leakers. The sites' values are "
                           "assumptions. The attacker's aims come from few trials and a simple "
                           "search: a cleverer attacker could do worse, and the defence does "
                           "not move its fire units in response.",
                     "ja": "被害は価値で重み付けした突破数。防護対象の価値は仮定である。攻撃側の照準は"
                           "少ない試行と単純な探索によるもので、より巧妙な攻撃側はさらに大きな被害を"
                           "与えうる。防御側が応じて射撃ユニットを移すことも扱わない。"},
    # --- uncertainty and sensitivity figures (report/uncertainty_figs.py) --------------
    "uq_fig_raid_ratio": {"en": "Raid size ÷ nominal engagement capacity",
                          "ja": "攻撃規模 ÷ 名目上の迎撃能力（交戦数）"},
    "uq_fig_band90": {"en": "90% of the assumptions (p05–p95)", "ja": "前提の90%（p05–p95）"},
    "uq_fig_band50": {"en": "middle half (p25–p75)", "ja": "中央の半分（p25–p75）"},
    "uq_fig_median": {"en": "median", "ja": "中央値"},
    "uq_fig_nominal": {"en": "nominal (values as written)", "ja": "名目値（記載どおりの値）"},
    "uq_fig_three_x": {"en": "3×", "ja": "3倍"},
    "uq_fig_fan_title": {"en": "At {ratio:g}× the assumptions allow {lo} to {hi} of the warheads to "
                               "leak (nominal {nom})",
                         "ja": "{ratio:g}倍では、前提の範囲内で弾頭の{lo}〜{hi}が突破する（名目値 {nom}）"},
    "uq_fig_hist_panel": {"en": "Across the input samples", "ja": "入力サンプル全体での分布"},
    "uq_fig_ecdf_panel": {"en": "Share of samples at or below", "ja": "この値以下となるサンプルの割合"},
    "uq_fig_samples_axis": {"en": "Samples", "ja": "サンプル数"},
    "uq_fig_ecdf_axis": {"en": "Cumulative share of samples", "ja": "サンプルの累積割合"},
    "uq_fig_exceed_label": {"en": "P(> {t}) = {p}", "ja": "{t}超の確率 {p}"},
    "uq_fig_dist_title": {"en": "{where}the share leaking exceeds {t} in {p} of the samples "
                                "(nominal {nom})",
                          "ja": "{where}突破割合が{t}を超えるのはサンプルの{p}（名目値 {nom}）"},
    "uq_fig_at_ratio": {"en": "At {ratio:g}×, ", "ja": "{ratio:g}倍で、"},
    "uq_fig_tornado_axis": {"en": "Share of warheads leaking,\nwith one input at a time at an end of "
                                  "its range", "ja": "突破した弾頭の割合\n（一つの入力だけを範囲の端に置いた場合）"},
    "uq_fig_low_end": {"en": "input at its low end", "ja": "入力が範囲の下限"},
    "uq_fig_high_end": {"en": "input at its high end", "ja": "入力が範囲の上限"},
    "uq_fig_tornado_title": {"en": "{key} swings the share leaking most: {a} to {b}",
                             "ja": "突破割合を最も大きく動かすのは{key}：{a}〜{b}"},
    "uq_fig_sobol_axis": {"en": "Share of the variance of the share leaking",
                          "ja": "突破割合の分散に占める割合"},
    "uq_fig_s1": {"en": "first order S1 (alone)", "ja": "1次指数 S1（単独）"},
    "uq_fig_st": {"en": "total order ST (with interactions)", "ja": "総合指数 ST（相互作用込み）"},
    "uq_fig_ci": {"en": "bars: bootstrap 95% intervals", "ja": "誤差棒：ブートストラップ95%区間"},
    "uq_fig_sobol_title": {"en": "The answer turns on {keys} ({share} of the summed total-order "
                                 "indices)",
                           "ja": "答えを左右するのは{keys}（総合指数の合計の{share}）"},
    "uq_fig_footer": {"en": "saturation-sim {version} · {scenario} · {runs} · ILLUSTRATIVE: the ranges "
                            "are assumptions",
                      "ja": "saturation-sim {version} · {scenario} · {runs} · 例示：範囲は仮定"},
    "uq_fig_runs_unc": {"en": "{samples} input samples ({design}), seed {seed}; {methods}",
                        "ja": "入力サンプル{samples}個（{design}）、シード{seed}；{methods}"},
    "uq_fig_runs_sens": {"en": "{method}, {runs} runs, seed {seed}; {methods}",
                         "ja": "{method}、{runs}回の計算、シード{seed}；{methods}"},
    "uq_fig_exact_n": {"en": "{n} exact", "ja": "厳密解{n}件"},
    "uq_fig_mc_n": {"en": "{n} Monte Carlo of {trials} trials", "ja": "モンテカルロ{n}件（各{trials}試行）"},
    #: A threat group's share aimed at one target (``threats.X.targets.<asset>``).
    "uq_fig_share_target": {"en": "share aimed at {target}", "ja": "{target}に向けた割合"},
    # names of scenario fields in the keys the figures speak of (UqMessages.key_label)
    "uq_field_sspk": {"en": "SSPK", "ja": "単発撃墜確率"},
    "uq_field_fire_units": {"en": "fire units", "ja": "射撃単位数"},
    "uq_field_channels_per_unit": {"en": "channels per unit", "ja": "単位あたり同時交戦数"},
    "uq_field_interceptors_per_unit": {"en": "interceptors per unit", "ja": "単位あたり迎撃弾数"},
    "uq_field_shots_per_engagement": {"en": "shots per engagement", "ja": "1交戦あたり発射数"},
    "uq_field_max_engagements": {"en": "engagements per threat", "ja": "1目標あたり交戦回数"},
    "uq_field_flyout_s": {"en": "flyout time", "ja": "飛翔時間"},
    "uq_field_reliability": {"en": "reliability", "ja": "信頼性"},
    "uq_field_detection": {"en": "detection", "ja": "探知確率"},
    "uq_field_discrimination": {"en": "discrimination", "ja": "おとり識別率"},
    "uq_field_availability": {"en": "availability", "ja": "参加確率"},
    "uq_field_interceptor_cost": {"en": "interceptor cost", "ja": "迎撃弾単価"},
    "uq_field_count": {"en": "count", "ja": "発射数"},
    "uq_field_cost": {"en": "cost", "ja": "単価"},
    "uq_field_prelaunch_kill": {"en": "pre-launch kill", "ja": "発射前撃破率"},
    "uq_field_window_s.0": {"en": "window opens", "ja": "交戦窓の開始"},
    "uq_field_window_s.1": {"en": "window closes", "ja": "交戦窓の終了"},
    "uq_field_raid_ratio": {"en": "raid ratio", "ja": "攻撃規模比"},
    "uq_field_track_capacity": {"en": "tracks held at once", "ja": "同時追尾数"},
    "uq_field_value": {"en": "value", "ja": "価値"},
    # --- campaign figures (report/campaign_figs.py) --------------------------------------
    "camp_days_title": {
        "en": "Day by day: {total} warheads leak over {days} days; {dry}",
        "ja": "日ごとの推移: {days}日間で{total}発の弾頭が防御を突破。{dry}"},
    "camp_dry_one": {"en": "{layer} runs dry on day {day}", "ja": "{layer}は{day}日目に弾切れ"},
    "camp_dry_none": {"en": "no layer runs dry", "ja": "弾切れになる層はない"},
    "camp_leak_day": {"en": "Leakers per day", "ja": "1日あたりの突破弾頭数"},
    "camp_leak_cum": {"en": "Cumulative leakers (mean)", "ja": "累積の突破弾頭数（平均）"},
    "camp_stock": {"en": "Interceptors left at the end of the day",
              "ja": "その日の終わりに残る迎撃弾"},
    "camp_loaded": {"en": "{layer}: loaded", "ja": "{layer}: 装填済み"},
    "camp_depot": {"en": "{layer}: depot", "ja": "{layer}: 補給所"},
    "camp_launchers": {"en": "Launchers alive (before the day's launches)",
                       "ja": "残存する発射機（その日の発射前）"},
    "camp_no_launchers": {"en": "no group has launchers", "ja": "発射機を持つ群はない"},
    "camp_day": {"en": "Day", "ja": "日"},
    "camp_note_days": {"en": "Shaded: 95% confidence intervals of the daily mean",
                       "ja": "網掛け: 日ごとの平均の95%信頼区間"},
    "camp_spear_title": {
        "en": "Over {days} days, counterstrike against launchers leaves {spear} leakers "
              "against {shield} for the shield alone ({buy} with the same money on "
              "interceptors)",
        "ja": "{days}日間で、発射機への反撃では突破{spear}発、盾のみでは{shield}発"
              "（同じ費用を迎撃弾に充てると{buy}発）"},
    "camp_spear_same_title": {
        "en": "Over {days} days, counterstrike leaves about as many leakers as the shield "
              "alone, {spear} against {shield} ({buy} with the same money on "
              "interceptors){why}",
        "ja": "{days}日間で、発射機への反撃でも突破は盾のみとほぼ同じ（{spear}発対{shield}発、"
              "同じ費用で迎撃弾を買えば{buy}発）{why}"},
    "camp_spear_same_why": {"en": ": the same {launched} missiles are fired over more days",
                            "ja": "。攻撃側は日数をかけて同じ{launched}発を撃つ"},
    "camp_shield": {"en": "Shield alone (as written)", "ja": "盾のみ（記載どおり）"},
    "camp_spear": {"en": "With counterstrike: {p} of launchers destroyed a day",
              "ja": "反撃あり: 毎日発射機の{p}を破壊"},
    "camp_buy": {"en": "Same money on {n} more {layer} interceptors",
                 "ja": "同じ費用で{layer}の迎撃弾を{n}発追加"},
    "camp_note_spear": {
        "en": "ASSUMPTION: the counterstrike costs {cost} (cost unit of the scenario); "
              "lines are means",
        "ja": "仮定: 反撃の費用は{cost}（シナリオの費用単位）。線は平均"},
    "camp_footer": {"en": "{scenario} · {trials} trials · seed {seed} · saturation-sim {version} "
                          "· {date} · {hash}",
                    "ja": "{scenario} · 試行{trials}回 · シード{seed} · saturation-sim {version} "
                          "· {date} · {hash}"},
}


#: The campaign's wording of messages of :data:`MESSAGES` (same ids, same fields): a
#: campaign sweeps the size of the daily raid, and its results (leakers, interceptors,
#: cost, P(any leak), a magazine running dry) are totals over all its days.
CAMPAIGN: dict[str, dict[str, str]] = {
    "axis_raid_ratio": {"en": "Daily raid size ÷ engagement capacity",
                        "ja": "1日の攻撃規模 ÷ 迎撃能力（交戦数）"},
    "leakers_mean": {"en": "Warheads leaking (mean over the campaign)",
                     "ja": "突破した弾頭数（作戦期間全体の平均）"},
    "three_x": {"en": "3× capacity a day", "ja": "1日あたり能力の3倍"},
    "probability": {"en": "Probability over the campaign", "ja": "作戦期間全体での確率"},
    "interceptors": {"en": "Interceptors fired (mean over the campaign)",
                     "ja": "発射した迎撃弾数（作戦期間全体の平均）"},
    "p_empty": {"en": "P(magazine empty on some day)", "ja": "いずれかの日に弾庫が尽きる確率"},
    "cost_axis": {"en": "Cost over the campaign ({unit})", "ja": "作戦期間全体の費用（{unit}）"},
    "damage_axis": {"en": "Value × leakers (mean over the campaign)",
                    "ja": "価値 × 突破数（作戦期間全体の平均）"},
    "assets_title": {"en": "{site} takes the most leakers, up to {n} over the campaign",
                     "ja": "最も多く突破されるのは{site}で、作戦期間全体で最大{n}発"},
    "where_rr": {"en": "{r}× capacity a day", "ja": "1日あたり能力の{r}倍"},
    "find_p_even": {"en": "Even at {where}, at least one warhead leaks in {pct} of campaigns",
                    "ja": "{where}でも{pct}の確率で作戦中に1発以上が突破"},
    "find_p_at": {"en": "At {where}, at least one warhead leaks in {pct} of campaigns",
                  "ja": "{where}では{pct}の確率で作戦中に1発以上が突破"},
    "find_dry_from": {"en": "From {where}, {layer} runs out of interceptors in most campaigns",
                      "ja": "{where}から、{layer}は過半の作戦で迎撃弾を撃ち尽くす"},
    "find_dry_from_site": {"en": "From {where}, {layer} runs out of interceptors at some site "
                                 "in most campaigns",
                           "ja": "{where}から、{layer}は過半の作戦でいずれかの拠点の迎撃弾を撃ち尽くす"},
    "find_fired_at": {"en": "At {where}, the defence fires {n} interceptors over the campaign",
                      "ja": "{where}で防御側は作戦期間全体で平均{n}発の迎撃弾を発射"},
    "panel_cost": {"en": "Cost over the campaign", "ja": "作戦期間全体の費用"},
    "verdict_overwhelmed": {"en": "Yes, in the sense that matters: against daily raids at 3× "
                                  "capacity a shield-only defence is overwhelmed and most "
                                  "warheads get through.",
                            "ja": "重要な意味で「破綻」している。1日あたり能力の3倍の攻撃が続くと、盾だけの"
                                  "防御は飽和し、弾頭の過半が突破する。"},
    "verdict_strained": {"en": "Strained, not broken: against daily raids at 3× capacity a "
                               "shield-only defence still stops most warheads, but a large "
                               "minority gets through.",
                         "ja": "破綻ではなく逼迫。1日あたり能力の3倍の攻撃が続いても盾だけの防御は弾頭の"
                               "多くを止めるが、少なからぬ数が突破する。"},
    "verdict_holds": {"en": "Not broken: against daily raids at 3× capacity this defence "
                            "still stops most warheads.",
                      "ja": "破綻していない。1日あたり能力の3倍の攻撃が続いても、この防御は弾頭の大半を"
                            "止める。"},
    "bl_numbers": {"en": "Against daily raids of {raid} missiles ({cap} engagements of "
                         "capacity), on average {m} of the {w} warheads the campaign can "
                         "launch leak ({share}), and at least one leaks in {pany} of "
                         "campaigns.",
                   "ja": "1日{raid}発の攻撃（迎撃能力{cap}交戦）が続く作戦で、発射されうる弾頭{w}発の"
                         "うち平均{m}発（{share}）が突破し、{pany}の作戦で1発以上が突破する。"},
    "bl_magazine": {"en": "The limit is the magazine of {layer}, which runs dry in most "
                          "campaigns from {r}× capacity a day.",
                    "ja": "上限を決めるのは{layer}の弾庫で、1日あたり能力の{r}倍から過半の作戦で"
                          "撃ち尽くす。"},
    "bl_magazine_site": {"en": "The limit is the magazine of {layer} at the sites the raid "
                               "reaches, which run dry in most campaigns from {r}× capacity "
                               "a day.",
                         "ja": "上限を決めるのは攻撃が向かう拠点の{layer}の弾庫で、1日あたり能力の{r}倍"
                               "から過半の作戦で撃ち尽くす。"},
    "brief_as_written": {"en": "As written, day 1's raid is {raid} missiles: {ratio}× "
                               "capacity.",
                         "ja": "シナリオどおりの1日目の攻撃は {raid} 発で、能力の {ratio} 倍。"},
    "col_ratio": {"en": "Daily raid ÷ capacity", "ja": "1日の攻撃規模 ÷ 能力"},
    "uq_fig_raid_ratio": {"en": "Daily raid size ÷ nominal engagement capacity",
                          "ja": "1日の攻撃規模 ÷ 名目上の迎撃能力（交戦数）"},
    "col_raid": {"en": "Missiles on day 1", "ja": "1日目のミサイル数"},
    "col_leakers": {"en": "Mean leakers over the campaign [95% CI]",
                    "ja": "作戦期間全体の平均突破数 [95%信頼区間]"},
    "col_p_any": {"en": "P(any leak in the campaign) [95% CI]",
                  "ja": "作戦中に1発以上突破する確率 [95%信頼区間]"},
    "col_fired": {"en": "Interceptors fired over the campaign",
                  "ja": "作戦期間全体で発射した迎撃弾"},
    "bl_levers": {"en": "What would change it, against the campaign as written (day 1's raid "
                        "{ratio}× capacity): {levers}.",
                  "ja": "シナリオどおりの作戦（1日目の攻撃は能力の{ratio}倍）に対して状況を変えうるもの: "
                        "{levers}。"},
    "naive_intro": {"en": "The naive count says that daily raids r times the capacity ({cap} "
                          "engagements) let 1 − 1/r of the warheads through, as if every "
                          "engagement killed one missile, nothing else leaked and magazines "
                          "never ran dry over the days.",
                    "ja": "単純計算では、能力（{cap}交戦）のr倍の攻撃が毎日続くと弾頭の 1 − 1/r が突破する"
                          "とする。すべての交戦が1発を確実に撃墜し、それ以外は漏れず、日を重ねても弾庫が"
                          "尽きないという前提である。"},
    "naive_below": {"en": "It errs in both directions. Below capacity it says nothing leaks, but "
                          "kill probabilities are below one and magazines empty over the days: "
                          "at 1× capacity a day {s1} of the warheads still get through.",
                    "ja": "この計算は両方向に誤る。能力以下では突破ゼロとなるが、撃墜確率は1未満で、弾庫は"
                          "日を追って尽きる。1日あたり能力の1倍でも弾頭の{s1}が突破する。"},
    "aim_axis_leakers": {"en": "Warheads leaking there (mean over the campaign)",
                         "ja": "そこで突破した弾頭数（作戦期間全体の平均）"},
    "aim_note": {"en": "Bars: mean over the campaign; whiskers: 95% confidence intervals",
                 "ja": "棒: 作戦期間全体の平均、ひげ: 95%信頼区間"},
}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


class Messages:
    """The catalogue in one language: ``msg("key_fire_units", layer="upper")``.

    Parameters
    ----------
    lang
        ``"en"`` or ``"ja"``.
    campaign
        Word the pages of a campaign (``[campaign] days > 1``): see :data:`CAMPAIGN`.

    Raises
    ------
    ReportError
        For another language (a ValueError, printed by the command line as one line).
    """

    def __init__(self, lang: str = "en", campaign: bool = False):
        if lang not in LANGS:
            raise ReportError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")
        self.lang = lang
        #: For a campaign's pages: a message that :data:`CAMPAIGN` also words says
        #: that wording, so that the raid ratio reads as the daily raid's and the
        #: results as totals over the campaign, not "per raid".
        self.campaign = campaign

    def __call__(self, msg_id: str, /, **fields: Any) -> str:
        if self.campaign and msg_id in CAMPAIGN:
            return CAMPAIGN[msg_id][self.lang].format(**fields)
        return MESSAGES[msg_id][self.lang].format(**fields)

    def count(self, msg_id: str, n: int) -> str:
        """A counted phrase: ``msg_id`` with ``n``, or ``msg_id + "_one"`` when ``n``
        is 1 and the catalogue has it ("the 6 sites", "its one site")."""
        if n == 1 and f"{msg_id}_one" in MESSAGES:
            return self(f"{msg_id}_one")
        return self(msg_id, n=self.number(n))

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
    """Problems in :data:`MESSAGES` and :data:`CAMPAIGN` (missing languages, mismatched
    fields, a campaign wording of no message); empty when sound."""
    problems = []
    for key, texts in MESSAGES.items():
        if set(texts) != set(LANGS):
            problems.append(f"{key}: languages {sorted(texts)}")
        elif len({frozenset(_fields(t)) for t in texts.values()}) != 1:
            problems.append(f"{key}: fields differ between languages")
    for key, texts in CAMPAIGN.items():
        if key not in MESSAGES:
            problems.append(f"{key}: a campaign wording of no message")
        elif set(texts) != set(LANGS):
            problems.append(f"{key} (campaign): languages {sorted(texts)}")
        elif {frozenset(_fields(t)) for t in texts.values()} != {
                frozenset(_fields(MESSAGES[key]["en"]))}:
            problems.append(f"{key} (campaign): fields differ from the message's")
    return problems


def limits(msg: Messages, scenario: Any) -> list[str]:
    """The limits page's items, "Head. Text." each: a campaign's third item says what
    the day-by-day model leaves out instead of "One raid", and a scenario with
    ``[[assets]]`` says what its sites and damage leave out instead of "No map" and
    "No targets, no damage"."""
    items = msg("limits_items").split("\n")
    if getattr(scenario, "assets", ()):  # issue 17: sites and damage are modelled
        items[0], items[1] = msg("limit_sites"), msg("limit_damage")
    if getattr(scenario, "days", 1) > 1:
        one_raid = 2  # the third item of limits_items
        items[one_raid] = msg("limit_campaign")
    return items
