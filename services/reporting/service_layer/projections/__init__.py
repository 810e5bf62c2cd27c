"""Projections: event handlers that keep the read models up to date, one module per publisher."""
