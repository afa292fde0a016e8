"""Experiments: many seeded runs of a scenario, and the assessment that judges them."""
