"""Importing matplotlib's PDF backend for a report without the work a report never uses.

Two costs of ``import matplotlib.backends.backend_pdf`` (with ``matplotlib.figure``) that a command which
writes one PDF and exits pays for nothing:

- **fontTools' subsetter** (0.1-0.2 s): the backend imports it at load time but uses it only to embed
  TrueType (Type 42) fonts; our pages embed Type 3 fonts (``chart_rc``), which it writes without fontTools.
  The standard library's ``LazyLoader`` makes the module load when an attribute is first read, so a
  Type 42 document still gets the real subsetter.
- **Property lists in docstrings** (a third of the rest): each ``Artist`` subclass builds the docstring of
  its ``set()`` method, and docstrings that say ``%(Line2D:kwdoc)s`` are filled, by ``artist.kwdoc``, which
  inspects every setter of the class. While the backend and the figure module load, ``kwdoc`` returns an
  empty string; it is put back afterwards. Only docstrings change (``help(Rectangle.set)`` lists no
  properties); ``set()``'s signature and every behaviour are matplotlib's own.

Both apply only when matplotlib's figure module is not loaded yet (the command line); in the window it
was loaded with the window's charts, and nothing is changed.
"""

from __future__ import annotations

import importlib.util
import sys


def import_pdf_backend() -> None:
    """Load ``matplotlib.backends.backend_pdf`` and ``matplotlib.figure`` (see the module's docstring)."""
    defer_font_subsetter()
    if "matplotlib.figure" in sys.modules:
        import matplotlib.backends.backend_pdf

        return
    import matplotlib.artist

    kwdoc = matplotlib.artist.kwdoc
    matplotlib.artist.kwdoc = _no_property_list
    try:
        import matplotlib.backends.backend_pdf
        import matplotlib.figure
    finally:
        matplotlib.artist.kwdoc = kwdoc


def _no_property_list(artist: object) -> str:
    return ""


def defer_font_subsetter() -> None:
    """Import fontTools' subsetter on first use instead of with ``backend_pdf``.

    matplotlib's PDF backend imports it at load time (0.1-0.2 s, most of the backend's import), but only
    uses it to embed TrueType (Type 42) fonts; our pages embed Type 3 fonts (``chart_rc``), which it does
    without fontTools. The standard library's ``LazyLoader`` makes the module load when an attribute is
    first read, so a Type 42 document still gets the real subsetter."""
    name = "fontTools.subset"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    vars(sys.modules["fontTools"])["subset"] = module  # as the import system sets a loaded submodule
