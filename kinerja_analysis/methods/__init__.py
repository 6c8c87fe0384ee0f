"""Methods: generic estimators (DiD, wild bootstrap, reliability, CFA, regression checks) that know nothing of kinerja's data; they import only ``core``."""
