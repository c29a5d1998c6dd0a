"""The contact card (view) and the household editor (dialog)."""
