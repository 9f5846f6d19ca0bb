"""The studio's parts, each given the core and the content only: they never import one another."""
