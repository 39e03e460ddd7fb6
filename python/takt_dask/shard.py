"""What runs on a Dask worker: one `takt simulate --shard i/K` in a temporary folder.

This module imports nothing from Dask, so a task is a plain function call: the
worker needs this package importable (`pip install ./python` in the worker's
environment) and a takt binary (`--takt PATH`, else TAKT_BIN, else `takt` on PATH).
"""

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


def pack_folder(folder):
    """The files of `folder` as {relative path with '/': bytes}, hidden entries skipped."""
    files = {}
    root = os.path.abspath(folder)
    for parent, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
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


def run_shard(index, count, samples, seed=None, model_files=None, model_path=None,
              scenario_files=None, scenario_paths=None, takt=None, model_name=None):
    """Runs shard `index`/`count` of `samples` samples and returns what it wrote.

    The model is either shipped (`model_files`: {relative path: bytes}, written into a
    temporary folder on this worker) or read in place (`model_path`, a path every
    worker sees). Scenarios likewise (`scenario_files`: [(file name, bytes)], or
    `scenario_paths`). Returns a dict: `shard` ("i/K"), `host`, `returncode`,
    `stderr` (text) and `files` ({name: bytes} of the shard's output folder, empty on
    failure). A failing takt is reported in the result, not raised, so the client
    can show its message; in it, the shipped model's temporary path reads as
    `model_name` (the client's name for the model folder) when given.
    """
    shard = "%d/%d" % (index, count)
    result = {"shard": shard, "host": _where(), "returncode": 0, "stderr": "", "files": {}}
    binary = find_takt(takt)
    if binary is None:
        result["returncode"] = 127
        result["stderr"] = ("takt binary not found on worker %s (%s): pass --takt PATH, set %s, "
                            "or put takt on the worker's PATH" % (result["host"], takt or "takt", TAKT_ENV))
        return result
    work = tempfile.mkdtemp(prefix="takt-dask-shard-%d-of-%d-" % (index, count))
    try:
        if model_files is not None:
            model = os.path.join(work, "model")
            unpack_folder(model_files, model)
        else:
            model = model_path
        scenarios = list(scenario_paths or [])
        for number, (name, data) in enumerate(scenario_files or [], start=1):
            path = os.path.join(work, "scenarios", "%d-%s" % (number, os.path.basename(name)))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
            scenarios.append(path)
        out = os.path.join(work, "out")
        command = [binary, "simulate", "run", model, "--samples", str(samples), "--shard", shard,
                   "--out", out, "--quiet"]
        if seed is not None:
            command += ["--seed", str(seed)]
        for scenario in scenarios:
            command += ["--scenario", scenario]
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=work)
        result["returncode"] = completed.returncode
        result["stderr"] = completed.stderr.decode("utf-8", "replace")
        if model_files is not None and model_name:
            result["stderr"] = result["stderr"].replace(model, model_name)
        if completed.returncode == 0:
            for name in sorted(os.listdir(out)):
                path = os.path.join(out, name)
                if os.path.isfile(path):
                    with open(path, "rb") as handle:
                        result["files"][name] = handle.read()
        return result
    except OSError as error:
        result["returncode"] = result["returncode"] or 126
        result["stderr"] = "%s on worker %s: %s" % (shard, result["host"], error)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
