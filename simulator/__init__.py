"""The built-in simulated website group: a seeded world served on loopback, with exact truth.

Public API: simulator.world.build_world / World.truth, simulator.server.SimulatorServer,
simulator.cli.simulate (also `python -m simulator`). See simulator/README.md.
"""
