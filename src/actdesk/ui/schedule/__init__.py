"""The Schedule panel: day, week, month and agenda views over the activity schedule."""
