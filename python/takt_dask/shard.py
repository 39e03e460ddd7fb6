"""What runs on a Dask worker: one takt shard (`takt simulate --shard i/K` or
`takt whatif --shard i/K`) in a temporary folder.

This module imports nothing from Dask, so a task is a plain function call: the
worker needs this package importable (`pip install ./python` in the worker's
environment) and a takt binary (`--takt PATH`, else TAKT_BIN, else `takt` on PATH).
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile

TAKT_ENV = "TAKT_BIN"


def find_takt(explicit=None):
    """The takt binary to run: `explicit`, else $TAKT_BIN, else `takt` on PATH; None if none."""
    for candidate in (explicit, os.environ.get(TAKT_ENV)):
        if candidate:
            if os.sep in candidate or (os.altsep and os.altsep in candidate):
                return candidate if os.path.isfile(candidate) else None
            return shutil.which(candidate)
    return shutil.which("takt")


def pack_folder(folder, skip_hidden=True):
    """Every file under `folder`, subfolders included, as {relative path with '/': bytes};
    hidden entries are skipped unless `skip_hidden` is False."""
    files = {}
    root = os.path.abspath(folder)
    for parent, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not (skip_hidden and d.startswith(".")))
        for name in sorted(names):
            if skip_hidden and name.startswith("."):
                continue
            path = os.path.join(parent, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as handle:
                files[relative] = handle.read()
    return files


def unpack_folder(files, folder):
    """Writes {relative path: bytes} into `folder` (paths may not leave it)."""
    root = os.path.abspath(folder)
    os.makedirs(root, exist_ok=True)
    for relative, data in files.items():
        path = os.path.abspath(os.path.join(root, *relative.split("/")))
        if os.path.isabs(relative) or not path.startswith(root + os.sep):
            raise ValueError("refusing to write %r outside %s" % (relative, root))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)


def _where():
    """This worker's address (host:port) under Dask, else the host name."""
    try:
        from distributed import get_worker

        return get_worker().address
    except Exception:
        return socket.gethostname()


def _folder_name(name):
    """`name` if it can be one folder's name, else "model"."""
    if not name or name in (".", "..") or "/" in name or os.sep in name or (os.altsep and os.altsep in name):
        return "model"
    return name


def _stage_inputs(work, model_files=None, model_path=None, model_name=None, model_folder=None,
                  scenario_files=None, scenario_paths=None):
    """Where takt reads the model and the scenarios on this worker: (model, [scenario], renames).

    A shipped model is written to `work/model/<model_folder>`, so that its folder keeps the
    client's folder name (takt titles its reports with it). Shipped scenarios
    (`scenario_files`: [(the client's path, bytes)]) are written one to a numbered folder,
    `work/scenarios/<n>/<file name>`, keeping their file names: a scenario without a `name:`
    key is named after its file. `renames` pairs each written path with the client's path,
    for takt's messages.
    """
    renames = []
    if model_files is not None:
        model = os.path.join(work, "model", _folder_name(model_folder))
        unpack_folder(model_files, model)
        if model_name:
            renames.append((model, model_name))
    else:
        model = model_path
    scenarios = list(scenario_paths or [])
    for number, (name, data) in enumerate(scenario_files or [], start=1):
        path = os.path.join(work, "scenarios", str(number), os.path.basename(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        scenarios.append(path)
        renames.append((path, name))
    return model, scenarios, renames


def _run_shard(kind, index, count, takt, inputs, arguments, finish=None):
    """Runs `takt KIND MODEL ... --shard index/count --out TMP --quiet` in a temporary folder.

    `arguments(model, scenarios)` gives the command's arguments after the binary and
    before --shard; `finish(files, model)` may amend the returned files. Returns the result
    dict described in run_shard.
    """
    shard = "%d/%d" % (index, count)
    result = {"shard": shard, "host": _where(), "returncode": 0, "stderr": "", "files": {}}
    binary = find_takt(takt)
    if binary is None:
        result["returncode"] = 127
        result["stderr"] = ("takt binary not found on worker %s (%s): pass --takt PATH, set %s, "
                            "or put takt on the worker's PATH" % (result["host"], takt or "takt", TAKT_ENV))
        return result
    prefix = "takt-dask-shard-" if kind == "simulate" else "takt-dask-%s-shard-" % kind
    work = tempfile.mkdtemp(prefix=prefix + "%d-of-%d-" % (index, count))
    try:
        model, scenarios, renames = _stage_inputs(work, **inputs)
        out = os.path.join(work, "out")
        command = [binary] + arguments(model, scenarios) + ["--shard", shard, "--out", out, "--quiet"]
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=work)
        result["returncode"] = completed.returncode
        stderr = completed.stderr.decode("utf-8", "replace")
        for written, given in renames:
            stderr = stderr.replace(written, given)
        result["stderr"] = stderr
        if completed.returncode == 0:
            files = pack_folder(out, skip_hidden=False)
            if finish is not None:
                finish(files, model)
            result["files"] = files
        return result
    except OSError as error:
        result["returncode"] = result["returncode"] or 126
        result["stderr"] = "%s on worker %s: %s" % (shard, result["host"], error)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_shard(index, count, samples, seed=None, model_files=None, model_path=None,
              scenario_files=None, scenario_paths=None, takt=None, model_name=None, model_folder=None):
    """Runs `takt simulate` shard `index`/`count` of `samples` samples and returns what it wrote.

    The model is either shipped (`model_files`: {relative path: bytes}, written into a
    temporary folder named `model_folder` on this worker) or read in place (`model_path`,
    a path every worker sees). Scenarios likewise (`scenario_files`: [(the client's path,
    bytes)], or `scenario_paths`). Returns a dict: `shard` ("i/K"), `host`, `returncode`,
    `stderr` (text) and `files` ({relative path: bytes} of the shard's output folder,
    empty on failure). A failing takt is reported in the result, not raised, so the
    client can show its message; in it, the shipped model's and scenarios' temporary
    paths read as the client's (`model_name`, the scenarios' paths) when given.
    """
    inputs = {"model_files": model_files, "model_path": model_path, "model_name": model_name,
              "model_folder": model_folder, "scenario_files": scenario_files, "scenario_paths": scenario_paths}

    def arguments(model, scenarios):
        command = ["simulate", "run", model, "--samples", str(samples)]
        if seed is not None:
            command += ["--seed", str(seed)]
        for scenario in scenarios:
            command += ["--scenario", scenario]
        return command

    return _run_shard("simulate", index, count, takt, inputs, arguments)


def run_whatif_shard(index, count, model_files=None, model_path=None, scenario_files=None,
                     scenario_paths=None, takt=None, model_name=None, model_folder=None,
                     write_lp=False, pegging=False):
    """Runs `takt whatif MODEL SCENARIO... --shard index/count` and returns what it wrote.

    Inputs and result as run_shard's; `files` holds every file of the shard's folder, the
    run folders' included (`base/planned_orders.csv`, `late-pcb/lp/index.csv`, ...). With a shipped
    model, each run's summary.json names the model as `model_name` (what a local run given
    that path writes) rather than the worker's temporary copy.
    """
    inputs = {"model_files": model_files, "model_path": model_path, "model_name": model_name,
              "model_folder": model_folder, "scenario_files": scenario_files, "scenario_paths": scenario_paths}

    def arguments(model, scenarios):
        command = ["whatif", "run", model] + scenarios
        if write_lp:
            command.append("--write-lp")
        if pegging:
            command.append("--pegging")
        return command

    def finish(files, model):
        if model_files is None or not model_name:
            return
        written = b'"model": ' + json.dumps(model, ensure_ascii=False).encode("utf-8")
        given = b'"model": ' + json.dumps(model_name, ensure_ascii=False).encode("utf-8")
        for relative in files:
            parts = relative.split("/")
            if len(parts) == 2 and parts[1] == "summary.json":
                files[relative] = files[relative].replace(written, given, 1)

    return _run_shard("whatif", index, count, takt, inputs, arguments, finish)
