"""`takt-dask whatif`: one Dask task per `takt whatif --shard i/K`, merged locally with `takt whatif merge`."""

from .cluster import TaktDaskError, check_counts, check_out, find_binaries, merge, pack_inputs, run_shards
from .shard import run_whatif_shard

__all__ = ["TaktDaskError", "whatif"]


def whatif(model, scenarios, shards, out, scheduler=None, workers=2, takt=None, shared_path=False,
           write_lp=False, pegging=False, force=False, quiet=False):
    """Runs `takt whatif MODEL SCENARIO...` as `shards` Dask tasks and merges them into `out`.

    The runs (base first, then each scenario in order) are dealt to the shards as
    `takt whatif --shard i/K` deals them: shard i plans runs i, i+K, ... (counting from 1).
    Returns the merge's standard output: the comparison table, or "" when `quiet`.
    Raises TaktDaskError.
    """
    scenarios = list(scenarios)
    if not scenarios:
        raise TaktDaskError("give at least one scenario file")
    check_counts(shards, workers)
    local_takt, worker_takt = find_binaries(takt)
    check_out(out, model, shared_path, force, scenarios)
    inputs, model_files = pack_inputs(model, scenarios, shared_path)
    task = dict(inputs, takt=worker_takt, write_lp=write_lp, pegging=pegging)
    runs = len(scenarios) + 1
    results = run_shards(run_whatif_shard, shards, task, model_files, "takt-whatif-shard",
                         "%d runs (base and %d scenario%s)" % (runs, runs - 1, "" if runs == 2 else "s"),
                         scheduler, workers, quiet)
    return merge(local_takt, "whatif", results, shards, out, force, quiet=quiet)
