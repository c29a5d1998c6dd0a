"""The report catalogue (issue 8): reports built as data from the engines, written as PDF, Excel and CSV.

See docs/reports.md. Importing this package is cheap: builders and renderers load pandas and matplotlib
only when a report is built or written.
"""
