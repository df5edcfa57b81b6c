"""The open-data form of a plan: a Frictionless CSV data package (``schema``, ``write``, ``read``)."""
