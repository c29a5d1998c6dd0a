"""Small widgets shared by every panel: a field with its error line, designed empty states, money labels."""

from actdesk.ui.widgets.empty_state import EmptyState
from actdesk.ui.widgets.fields import FieldWithError
from actdesk.ui.widgets.money import MoneyLabel

__all__ = ["EmptyState", "FieldWithError", "MoneyLabel"]
