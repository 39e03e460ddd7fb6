"""The client side: submit one Dask task per shard, gather the shards, merge them locally."""

import json
import logging
import os
import subprocess
import sys
import tempfile
import uuid

from .shard import TAKT_ENV, find_takt, pack_folder, run_shard, unpack_folder


class SimulateError(Exception):
    """A failure to report as `takt-dask: MESSAGE` with exit code `exit_code` (2: bad input or a failed shard)."""

    def __init__(self, message, exit_code=2):
        super().__init__(message)
        self.exit_code = exit_code


def _note(quiet, message):
    if not quiet:
        print("takt-dask: " + message, file=sys.stderr, flush=True)


def _check_out(out, model, shared, force):
    """Refuses early what `takt simulate merge` would refuse at the end, and what it cannot see:
    an --out in or over the model folder (merge is not told the model)."""
    target = os.path.realpath(out)
    if not shared:
        model_path = os.path.realpath(model)
        if target == model_path or target.startswith(model_path + os.sep) or model_path.startswith(target + os.sep):
            raise SimulateError("%s: refusing to write output in or over the model folder %s" % (out, model))
    if not os.path.exists(target) or force:
        return
    if not os.path.isdir(target):
        raise SimulateError("%s: exists and is not a folder" % out)
    if not os.listdir(target):
        return
    try:
        with open(os.path.join(target, "summary.json"), "rb") as handle:
            if isinstance(json.load(handle).get("takt_output"), str):
                return  # takt's merge decides the rest
    except (OSError, ValueError, AttributeError):
        pass
    raise SimulateError("%s: exists and is not a Takt output folder; use --force to replace it" % out)


def _connect(scheduler, workers, quiet):
    """A (client, cluster) pair: the given scheduler, else a LocalCluster on 127.0.0.1 (cluster is None for a scheduler)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise SimulateError("cannot import Dask's distributed (%s): pip install dask distributed" % error, 1)
    if scheduler:
        _note(quiet, "connecting to the Dask scheduler at %s" % scheduler)
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as error:
            raise SimulateError("cannot connect to the Dask scheduler at %s: %s" % (scheduler, error), 1)
    _note(quiet, "starting a local Dask cluster on 127.0.0.1 with %d worker processes" % workers)
    cluster = LocalCluster(host="127.0.0.1", n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    try:
        return Client(cluster), cluster
    except BaseException:
        cluster.close()
        raise


def simulate(model, samples, shards, out, seed=None, scheduler=None, workers=2, takt=None,
             shared_path=False, scenarios=(), force=False, quiet=False):
    """Runs `takt simulate MODEL --samples N` as `shards` Dask tasks and merges them into `out`.

    Returns the merge's summary line (its standard output). Raises SimulateError.
    """
    if shards < 1:
        raise SimulateError("--shards must be at least 1, got %d" % shards)
    if workers < 1:
        raise SimulateError("--workers must be at least 1, got %d" % workers)
    local_takt = find_takt(takt)
    if local_takt is None:
        raise SimulateError("takt binary not found here (%s): pass --takt PATH, set %s, or put takt on PATH"
                            % (takt or "takt", TAKT_ENV))
    # The binary the workers run: an explicit path is made absolute (a worker's working
    # folder is not ours); else each worker looks for its own ($TAKT_BIN, then PATH).
    worker_takt = os.path.abspath(takt) if takt and os.sep in takt else takt
    _check_out(out, model, shared_path, force)

    task = {"samples": samples, "seed": seed, "takt": worker_takt}
    if shared_path:
        task["model_path"] = os.path.abspath(model)
        task["scenario_paths"] = [os.path.abspath(s) for s in scenarios]
    else:
        if not os.path.isdir(model):
            raise SimulateError("%s:1: model folder not found" % model)
        model_files = pack_folder(model)
        task["model_name"] = model
        scenario_files = []
        for scenario in scenarios:
            try:
                with open(scenario, "rb") as handle:
                    scenario_files.append((os.path.basename(scenario), handle.read()))
            except OSError as error:
                raise SimulateError("%s: cannot read scenario (%s)" % (scenario, error.strerror or error))
        task["scenario_files"] = scenario_files

    client, cluster = _connect(scheduler, workers, quiet)
    try:
        if not shared_path:
            # Sent to the cluster once; each task fetches it from there.
            [task["model_files"]] = client.scatter([model_files], hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [client.submit(run_shard, index, shards, key="takt-shard-%d-of-%d-%s" % (index, shards, run),
                                 pure=False, **task)
                   for index in range(1, shards + 1)]
        _note(quiet, "submitted %d shards of %d samples" % (shards, samples))
        from distributed import as_completed

        results = {}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # the task itself raised (worker lost, unpickling failed, ...)
                client.cancel(futures)
                raise SimulateError("a shard's task failed on the cluster: %s: %s" % (type(error).__name__, error), 1)
            if result["returncode"] != 0:
                client.cancel(futures)
                raise SimulateError("shard %s failed on worker %s (exit %d):\n%s"
                                    % (result["shard"], result["host"], result["returncode"],
                                       result["stderr"].rstrip()))
            results[result["shard"]] = result
            _note(quiet, "shard %s done on %s (%d/%d)" % (result["shard"], result["host"], len(results), shards))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    with tempfile.TemporaryDirectory(prefix="takt-dask-merge-") as staging:
        folders = []
        for index in range(1, shards + 1):
            folder = os.path.join(staging, "shard-%d-of-%d" % (index, shards))
            unpack_folder(results["%d/%d" % (index, shards)]["files"], folder)
            folders.append(folder)
        command = [local_takt, "simulate", "merge"] + folders + ["--out", out]
        if force:
            command.append("--force")
        merged = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if merged.returncode != 0:
        raise SimulateError("takt simulate merge failed (exit %d):\n%s"
                            % (merged.returncode, merged.stderr.decode("utf-8", "replace").rstrip()))
    return merged.stdout.decode("utf-8", "replace").strip()
