"""`takt-dask simulate`: one Dask task per `takt simulate --shard i/K`, merged locally with `takt simulate merge`."""

from .cluster import (SimulateError, TaktDaskError, check_counts, check_out, find_binaries, merge, pack_inputs,
                      run_shards)
from .shard import run_shard

__all__ = ["SimulateError", "TaktDaskError", "simulate"]


def simulate(model, samples, shards, out, seed=None, scheduler=None, workers=2, takt=None,
             shared_path=False, scenarios=(), force=False, quiet=False):
    """Runs `takt simulate MODEL --samples N` as `shards` Dask tasks and merges them into `out`.

    Returns the merge's summary line (its standard output). Raises SimulateError.
    """
    check_counts(shards, workers)
    local_takt, worker_takt = find_binaries(takt)
    check_out(out, model, shared_path, force, scenarios)
    inputs, model_files = pack_inputs(model, scenarios, shared_path)
    task = dict(inputs, samples=samples, seed=seed, takt=worker_takt)
    results = run_shards(run_shard, shards, task, model_files, "takt-shard", "%d samples" % samples,
                         scheduler, workers, quiet)
    return merge(local_takt, "simulate", results, shards, out, force).strip()
