"""Chart panels: matplotlib ``Figure`` on the Qt canvas (never pyplot), themed like the window.

Importing this package does not import matplotlib; ``actdesk.ui.charts.canvas`` does, and only panels
shown after the window's first paint import it.
"""
