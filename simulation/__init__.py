"""Interregnum: an agent-based simulation of the Soviet succession struggle, 1922-1926."""

__version__ = "0.1.0"
