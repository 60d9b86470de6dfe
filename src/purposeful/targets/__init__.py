"""Self-set targets of teams, reflective check-ins, and the purpose dashboard."""
