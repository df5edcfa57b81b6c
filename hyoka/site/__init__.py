"""The public site: static pages per plan, node and indicator, with their open data.

Everything is rendered from a published-only copy of each plan (``published.py``),
so what was not released cannot leak into a page or a download by accident. The same
renderer serves the web app's public pages, so both show the same numbers.
"""
