from __future__ import annotations

from typing import Literal

from ninja import Schema

Frequency = Literal["immediately", "daily", "never"]


class PreferencesOut(Schema):
    signals: str
    customer_messages: str
    handovers: str
    advice: str


class PreferencesPatch(Schema):
    signals: Frequency | None = None
    customer_messages: Frequency | None = None
    handovers: Frequency | None = None
    advice: Frequency | None = None
