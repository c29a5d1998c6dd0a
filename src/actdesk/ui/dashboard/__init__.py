"""The window's dashboards: the book of business, one client (and the meeting view), coaching, today."""
