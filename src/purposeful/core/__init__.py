"""What every app shares: paging, absolute URLs, charts, CSV files, form helpers,
the base templates and static files, and the middleware that guards every request.

Apps import from here; nothing here imports an app (enforced by the import-linter
contract in pyproject.toml).
"""
