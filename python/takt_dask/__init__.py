"""Run takt's shards on a Dask distributed cluster and merge them.

`takt-dask simulate MODEL --samples N --shards K --out DIR` submits one Dask task per
shard (`takt simulate MODEL --samples N --shard i/K`), gathers each shard's files back
to the client and adds them up with `takt simulate merge`, which writes exactly the
simulation.csv and criticality.csv that one run of all N samples writes.

`takt-dask whatif MODEL SCENARIO... --shards K --out DIR` does the same for a what-if
comparison (`takt whatif MODEL SCENARIO... --shard i/K`, then `takt whatif merge`):
compare.csv, compare.html and summary.json as one `takt whatif` writes them, and every
run's folder.
"""

__version__ = "0.1.0"

from .cluster import SimulateError, TaktDaskError  # noqa: E402,F401
from .simulate import simulate  # noqa: E402,F401
from .whatif import whatif  # noqa: E402,F401

__all__ = ["SimulateError", "TaktDaskError", "simulate", "whatif", "__version__"]
