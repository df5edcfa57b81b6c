"""The web application: plans live in the database, the core computes every figure."""
