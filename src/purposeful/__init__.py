"""Purposeful: sales and marketing software for self-managing, purpose-driven organisations."""

__version__ = "0.1.0"
