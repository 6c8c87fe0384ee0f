"""Data: the contract, its schemas, column mappings and presets, reading (``readers``),
validation (``validation``, ``rules``, ``messages``), loading and the validated-table cache
(``loading``), the partitioned store and engine seam (``engine``), and the synthetic city."""
