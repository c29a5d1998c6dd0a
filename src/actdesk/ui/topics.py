"""The topics of ``AppSignals.data_changed``: what kind of data changed, so that each view reloads only
what it shows. One home for the names (they were strings redeclared in ten places); a StrEnum, so a topic
still travels through ``Signal(str)`` and prints as its plain name. ``tests/ui/test_topics.py`` fails on a
topic written as a string literal anywhere in ui/."""

from __future__ import annotations

from enum import StrEnum


class Topic(StrEnum):
    BOOK = "book"  # another book was opened, or the whole book changed (encryption, demo)
    HOUSEHOLDS = "households"
    CONTACTS = "contacts"
    ACCOUNTS = "accounts"
    BALANCES = "balances"
    FLOWS = "flows"
    FEES = "fees"
    ACTIVITIES = "activities"
    ALERTS = "alerts"
    MAIL = "mail"
    PIPELINE = "pipeline"
    IMPORTS = "imports"
    LIFE_EVENTS = "life_events"
    REFERRALS = "referrals"
    NOTES = "notes"
    SETTINGS = "settings"
