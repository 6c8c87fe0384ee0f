"""Reporting: period facts, privacy, tables, text and labels, narrative, formatting, plots and export of the documents."""
