"""One module per report of the catalogue; each exposes ``build(ctx: ReportContext) -> ReportData``."""
