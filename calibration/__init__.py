"""Calibration: historical targets, the score of runs against them, and fitting (ABC)."""
