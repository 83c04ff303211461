"""The installed version of the package, in a module of its own so that any room can
import it without importing the package's ``__init__`` (which imports the rooms)."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("saturation-sim")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"
