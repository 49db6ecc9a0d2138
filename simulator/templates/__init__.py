"""HTML rendering of the simulated sites: shared chrome plus one module per page kind."""
