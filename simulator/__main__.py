"""`python -m simulator ...` runs the simulate command."""

from simulator.cli import simulate

if __name__ == "__main__":
    simulate()
