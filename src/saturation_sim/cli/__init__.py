"""Command-line room: the ``saturation-sim`` entry point (last room of the pipeline)."""
