"""Report use cases: authorize the caller for the scope, query the read models, compute the figures."""
