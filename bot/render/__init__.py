"""Renderers: a Reply turned into what one output can show."""
