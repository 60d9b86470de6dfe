"""Unsent words kept per member, so that a stale session or token loses nothing."""
