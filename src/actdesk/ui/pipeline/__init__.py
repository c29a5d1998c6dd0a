"""The Pipeline panel: board, prospects by fit, acquisition sources, growth ideas (issue 9)."""
