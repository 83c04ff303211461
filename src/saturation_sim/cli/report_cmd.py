"""The ``report`` and ``brief`` sub-commands (see :mod:`saturation_sim.report`).

Wire in with ``report_cmd.register(subparsers)``. The report room, and with
it matplotlib, is imported only when one of these commands runs. Bad input
raises ``ScenarioError`` or ``UsageError``, which the entry point prints as
one line with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import UsageError, check_threads, positive_int, progress_of, seed_int


def _usage(exc: Exception) -> Exception:
    return UsageError(str(exc))


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import ReportError, report

    try:
        drawn = report(args.dir, args.out, lang=args.lang, formats=args.format)
    except ReportError as exc:
        raise _usage(exc) from None
    print(f"{len(drawn.figures)} figure(s) from {args.dir} in {len(drawn.files)} file(s) "
          f"under {args.out}:")
    for name, fig in drawn.figures:
        print(f"  {name}: {fig.get_label()}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from ..report import ReportError
    from ..report.brief import brief
    from ..scenario import load_scenario

    scenario = load_scenario(args.config)
    check_threads(args.threads)
    try:
        res = brief(scenario, args.out, lang=args.lang, trials=args.trials, seed=args.seed,
                    threads=args.threads, progress=progress_of(args),
                    uq_samples=args.uq_samples, uq_trials=args.uq_trials,
                    sensitivity=args.sensitivity)
    except ReportError as exc:
        raise _usage(exc) from None
    out = Path(args.out)
    print(f"{scenario.name}: {len(res.sweeps)} sweep(s) of {res.trials:,} trials per point, "
          f"{res.pages} page(s), {res.elapsed_s:.1f} s")
    for title in res.titles:
        print(f"  - {title}")
    print(f"brief: {res.pdf} and {res.markdown}; figures in {out / 'figures'}; "
          f"sweeps in {out / 'sweeps'} (a rerun, or the other language, resumes them)")
    sys.stdout.flush()
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    """Add ``report`` and ``brief`` to the sub-command parser of ``saturation-sim``."""

    langs = ("en", "ja")
    p = sub.add_parser(
        "report", help="draw the figures of a finished sweep",
        description="Draw the figures of a sweep directory (the --out of 'saturation-sim "
                    "sweep'): for one swept key the leakage curve, the probability curves, "
                    "the per-layer figure and, where costs are given, the cost exchange; for "
                    "two keys a heatmap of P(any leak) with contours and a family of curves. "
                    "Every figure shows its 95%% CI and a provenance footer.")
    p.add_argument("dir", metavar="DIR", help="sweep directory holding sweep.json")
    p.add_argument("--out", required=True, metavar="FIGDIR", help="directory for the figures")
    p.add_argument("--lang", choices=langs, default="en",
                   help="language of every label, title and footer (default en)")
    p.add_argument("--format", default="png", metavar="png,svg,pdf",
                   help="comma list of file formats (default png)")
    p.set_defaults(func=cmd_report)

    from ..report.brief import BRIEF_TRIALS

    p = sub.add_parser(
        "brief", help="run the sweeps of a brief and write brief.pdf and brief.md",
        description="The main job end to end: sweep the raid ratio from 0.25x to 5x capacity, "
                    "each layer's fire units and counterstrike before launch (into "
                    "DIR/sweeps/, resumed on a rerun and shared by both languages), draw the "
                    "figures (DIR/figures/), and write DIR/brief.pdf and DIR/brief.md (with "
                    "--lang ja: brief.ja.pdf and brief.ja.md beside them): the bottom line, "
                    "why the naive count misleads, key numbers at 1x, 2x and 3x, every input "
                    "with its unit, source and range, the figures, and the model's limits. "
                    "Every page carries its number and the scenario's caveat. A scenario "
                    "with an [uncertainty] table also gets 'How sure are we' (the range of "
                    "the answer its ranges allow, quoted in the bottom line) and 'What drives "
                    "the answer' (Sobol' indices or a tornado), from runs in "
                    "DIR/uncertainty/ and DIR/sensitivity/. A scenario with [[assets]] also "
                    "gets 'Where the raid is aimed' (leakers per site, spread versus "
                    "concentrated, beside the national raid ratio), from runs in "
                    "DIR/allocation/.")
    p.add_argument("config", metavar="CONFIG", help="scenario file (TOML)")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--lang", choices=langs, default="en",
                   help="language of the brief (default en)")
    p.add_argument("--trials", type=positive_int, metavar="N",
                   help=f"trials per sweep point (default {BRIEF_TRIALS:,})")
    p.add_argument("--seed", type=seed_int, metavar="S",
                   help="the seed of every point (default: the file's, else 1)")
    p.add_argument("--threads", type=positive_int, metavar="T",
                   help="engine threads (default: all cores); does not change results")
    from ..report.uq_brief import SENSITIVITY_CHOICES, SOBOL_MAX_RUNS, UQ_SAMPLES, UQ_TRIALS

    p.add_argument("--uq-samples", type=positive_int, metavar="S",
                   help="with [uncertainty]: input samples of 'How sure are we', and base "
                        f"samples N of Sobol' indices (default {UQ_SAMPLES})")
    p.add_argument("--uq-trials", type=positive_int, metavar="T",
                   help="with [uncertainty]: Monte Carlo trials per input sample, where it "
                        f"cannot be solved exactly (default {UQ_TRIALS:,})")
    p.add_argument("--sensitivity", choices=SENSITIVITY_CHOICES, default="auto",
                   help="'What drives the answer': Sobol' indices or the one-at-a-time "
                        f"tornado; auto takes Sobol' when it needs at most {SOBOL_MAX_RUNS:,} "
                        "runs (default auto)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress (steps such as 'sweep 2/3: ...' and 'drawing 12 pages')")
    p.set_defaults(func=cmd_brief)
