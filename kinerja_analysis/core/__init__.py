"""Core: the package's own plumbing — errors, periods, text catalogues, the result contract, defaults, safe file writes. No domain knowledge; every layer may import it."""
