"""Data: the contract, its schemas, column mappings, loading and validation, and the synthetic city."""
