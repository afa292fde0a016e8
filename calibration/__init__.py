"""Calibration: historical patterns, the score of runs against them, and fitting (ABC)."""
