"""The client side shared by `simulate` and `whatif`: check the output folder, pack the
model and the scenarios, connect to Dask, submit one task per shard, gather the shards
and merge them locally with takt."""

import json
import logging
import os
import subprocess
import sys
import tempfile
import uuid

from .shard import TAKT_ENV, find_takt, pack_folder, unpack_folder


class TaktDaskError(Exception):
    """A failure to report as `takt-dask: MESSAGE` with exit code `exit_code` (2: bad input or a failed shard)."""

    def __init__(self, message, exit_code=2):
        super().__init__(message)
        self.exit_code = exit_code


# The name simulate() has always raised; the same class.
SimulateError = TaktDaskError


def note(quiet, message):
    if not quiet:
        print("takt-dask: " + message, file=sys.stderr, flush=True)


def check_counts(shards, workers):
    if shards < 1:
        raise TaktDaskError("--shards must be at least 1, got %d" % shards)
    if workers < 1:
        raise TaktDaskError("--workers must be at least 1, got %d" % workers)


def find_binaries(takt):
    """(the takt binary here, the takt the workers run): an explicit path is made absolute (a
    worker's working folder is not ours); else each worker looks for its own ($TAKT_BIN, then PATH)."""
    local_takt = find_takt(takt)
    if local_takt is None:
        raise TaktDaskError("takt binary not found here (%s): pass --takt PATH, set %s, or put takt on PATH"
                            % (takt or "takt", TAKT_ENV))
    worker_takt = os.path.abspath(takt) if takt and os.sep in takt else takt
    return local_takt, worker_takt


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_out(out, model, shared, force, scenarios=()):
    """Refuses early what takt's merge would refuse at the end, and what it cannot see (it is
    not told the model or the scenarios): an --out in or over the model folder, or holding a
    scenario file."""
    target = os.path.realpath(out)
    if not shared:
        model_path = os.path.realpath(model)
        if target == model_path or target.startswith(model_path + os.sep) or model_path.startswith(target + os.sep):
            raise TaktDaskError("%s: refusing to write output in or over the model folder %s" % (out, model))
    for scenario in scenarios:
        if _inside(os.path.realpath(scenario), target):
            raise TaktDaskError("%s: holds %s, which this run reads; the run would replace it" % (out, scenario))
    if not os.path.exists(target) or force:
        return
    if not os.path.isdir(target):
        raise TaktDaskError("%s: exists and is not a folder" % out)
    if not os.listdir(target):
        return
    try:
        with open(os.path.join(target, "summary.json"), "rb") as handle:
            if isinstance(json.load(handle).get("takt_output"), str):
                return  # takt's merge decides the rest
    except (OSError, ValueError, AttributeError):
        pass
    raise TaktDaskError("%s: exists and is not a Takt output folder; use --force to replace it" % out)


def pack_inputs(model, scenarios, shared_path):
    """(the task's keyword arguments for the model and the scenarios, the packed model or None).

    With `shared_path` every worker reads the model and the scenarios at their absolute
    paths here. Otherwise the model folder is packed (to be scattered once; the caller puts
    it into the task as `model_files`), with the folder's own name so that the worker's copy
    keeps it, and each scenario is read as (its path as given, bytes).
    """
    if shared_path:
        return {"model_path": os.path.abspath(model),
                "scenario_paths": [os.path.abspath(s) for s in scenarios]}, None
    if not os.path.isdir(model):
        raise TaktDaskError("%s:1: model folder not found" % model)
    model_files = pack_folder(model)
    scenario_files = []
    for scenario in scenarios:
        try:
            with open(scenario, "rb") as handle:
                scenario_files.append((scenario, handle.read()))
        except OSError as error:
            raise TaktDaskError("%s: cannot read scenario (%s)" % (scenario, error.strerror or error))
    inputs = {"model_name": model, "model_folder": os.path.basename(os.path.abspath(model)),
              "scenario_files": scenario_files}
    return inputs, model_files


def connect(scheduler, workers, quiet):
    """A (client, cluster) pair: the given scheduler, else a LocalCluster on 127.0.0.1 (cluster is None for a scheduler)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise TaktDaskError("cannot import Dask's distributed (%s): pip install dask distributed" % error, 1)
    if scheduler:
        note(quiet, "connecting to the Dask scheduler at %s" % scheduler)
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as error:
            raise TaktDaskError("cannot connect to the Dask scheduler at %s: %s" % (scheduler, error), 1)
    note(quiet, "starting a local Dask cluster on 127.0.0.1 with %d worker processes" % workers)
    cluster = LocalCluster(host="127.0.0.1", n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    try:
        return Client(cluster), cluster
    except BaseException:
        cluster.close()
        raise


def run_shards(function, shards, task, model_files, key, what, scheduler, workers, quiet):
    """Runs `function(index, shards, **task)` for index 1..shards as Dask tasks and returns
    their results by shard ("i/K").

    `model_files`, when not None, is scattered to the cluster once and passed to every task
    as `model_files`. `key` names the tasks (`KEY-i-of-K-RUN`); `what` ends the "submitted"
    note. The first failed shard cancels the others and raises TaktDaskError (exit 2 with
    takt's message; exit 1 when the task itself failed on the cluster).
    """
    client, cluster = connect(scheduler, workers, quiet)
    try:
        task = dict(task)
        if model_files is not None:
            # Sent to the cluster once; each task fetches it from there.
            [task["model_files"]] = client.scatter([model_files], hash=False)
        run = uuid.uuid4().hex[:8]
        futures = [client.submit(function, index, shards, key="%s-%d-of-%d-%s" % (key, index, shards, run),
                                 pure=False, **task)
                   for index in range(1, shards + 1)]
        note(quiet, "submitted %d shards of %s" % (shards, what))
        from distributed import as_completed

        results = {}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # the task itself raised (worker lost, unpickling failed, ...)
                client.cancel(futures)
                raise TaktDaskError("a shard's task failed on the cluster: %s: %s" % (type(error).__name__, error), 1)
            if result["returncode"] != 0:
                client.cancel(futures)
                raise TaktDaskError("shard %s failed on worker %s (exit %d):\n%s"
                                    % (result["shard"], result["host"], result["returncode"],
                                       result["stderr"].rstrip()))
            results[result["shard"]] = result
            note(quiet, "shard %s done on %s (%d/%d)" % (result["shard"], result["host"], len(results), shards))
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def merge(local_takt, kind, results, shards, out, force, quiet=False):
    """Writes each shard's files into a staging folder and runs `takt KIND merge SHARD... --out OUT`
    (with --force, and --quiet when `quiet`); returns its standard output."""
    with tempfile.TemporaryDirectory(prefix="takt-dask-merge-") as staging:
        folders = []
        for index in range(1, shards + 1):
            folder = os.path.join(staging, "shard-%d-of-%d" % (index, shards))
            unpack_folder(results["%d/%d" % (index, shards)]["files"], folder)
            folders.append(folder)
        command = [local_takt, kind, "merge"] + folders + ["--out", out]
        if force:
            command.append("--force")
        if quiet:
            command.append("--quiet")
        merged = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if merged.returncode != 0:
        raise TaktDaskError("takt %s merge failed (exit %d):\n%s"
                            % (kind, merged.returncode, merged.stderr.decode("utf-8", "replace").rstrip()))
    return merged.stdout.decode("utf-8", "replace")
