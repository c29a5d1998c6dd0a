"""Acquisition and growth (issue 9): pipeline math, ideal-client profile and fit, acquisition economics and
"clients like you". Pure: no Qt, no SQLAlchemy; every function takes its data and an explicit date."""
