"""Pipeline: the batch that writes every period's documents, and the ``kinerja`` command line."""
