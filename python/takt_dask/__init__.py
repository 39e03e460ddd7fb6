"""Run `takt simulate` shards on a Dask distributed cluster and merge them.

`takt-dask simulate MODEL --samples N --shards K --out DIR` submits one Dask task per
shard (`takt simulate MODEL --samples N --shard i/K`), gathers each shard's files back
to the client and adds them up with `takt simulate merge`, which writes exactly the
simulation.csv and criticality.csv that one run of all N samples writes.
"""

__version__ = "0.1.0"

from .simulate import SimulateError, simulate  # noqa: E402,F401

__all__ = ["SimulateError", "simulate", "__version__"]
