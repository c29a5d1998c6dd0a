"""Moving in and out: contacts from CSV and vCard, custodian balances and flows, preview, batches, undo, export.

Qt-free. Everything that reads a file goes through :mod:`sniff`; nothing writes before a
:class:`~actdesk.services.importers.preview.ContactPreview` was built and confirmed; every write is one
batch (:mod:`batches`) that can be undone.
"""
