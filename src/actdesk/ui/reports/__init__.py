"""The Reports panel: the report catalogue, a preview of the selected report, exports."""
