"""Pure domain layer: dataclasses and calculations. Imports nothing from Qt, SQLAlchemy or other layers."""
