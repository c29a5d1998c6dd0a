"""Dialogs built in code."""
