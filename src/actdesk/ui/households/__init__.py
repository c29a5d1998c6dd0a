"""The Households panel: the searchable list of households and the contact card beside it."""
