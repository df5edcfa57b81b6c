"""The public pages of the web app: the static site's pages, rendered from the database on request."""
