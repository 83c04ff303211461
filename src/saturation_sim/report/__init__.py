"""Report room: figures and the brief, drawn from sweep results.

Fifth room of the pipeline scenario -> engine -> analytic -> sweep -> report -> cli.
This room is the only one that uses matplotlib, and imports it only when a
function here draws (never when ``saturation_sim`` or this package is
imported); it draws on the Agg canvas without pyplot. See docs/report.md.

``report(sweep, out)`` draws a sweep's figures (a directory or a SweepResult);
``brief.brief(config, out)`` (module :mod:`.brief`) runs the whole brief;
:mod:`.plot` (``saturation_sim.plot``) draws the same panels on a user's Axes.
"""

from .errors import ReportError
from .figures import Drawn, draw, report

__all__ = ["Drawn", "ReportError", "draw", "report"]
