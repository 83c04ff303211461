"""The report room's error: bad input that the command line prints as one line (exit 2)."""


class ReportError(ValueError):
    """A sweep directory, option or missing optional dependency the report cannot use."""
