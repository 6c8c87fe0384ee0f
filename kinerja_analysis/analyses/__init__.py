"""Analyses: the study — the employee × period panel, training, feedback and rollout effects, rater reliability, the survey panel, and the shared cross-period results."""
