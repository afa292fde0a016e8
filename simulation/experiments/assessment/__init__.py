"""The assessment of a scenario's runs against the historical patterns.

Runs drawn with the point, posterior or prior parameters, the temporal hold-out,
the null models and the hindsight audit, all scored by the same code and written
up as one directory (``interregnum assess``).
"""
