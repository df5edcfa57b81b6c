"""The Excel workbook of a plan: written for people to fill in, read back with every cell checked.

``layout`` defines the sheets and columns, ``write`` writes a whole plan, a department's
year or a template, ``read`` reads the cells with their places, ``full`` and ``department``
turn them into an update, and ``importer`` applies an update to a plan.
"""
