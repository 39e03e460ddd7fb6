"""What the takt-dask tests share: the takt binary, the fixtures, the skip rule, and a
way to run `python -m takt_dask` with this checkout's package.

The takt binary: $TAKT_BIN, else .build/debug/takt in the repository (run `swift build`
or `swift test` first). The tests are skipped only where Dask is not installed and CI is
not "true": in CI (scripts/test.sh installs dask and distributed) a missing Dask fails them.
"""

import os
import subprocess
import sys

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(PYTHON_DIR)
TAKT = os.environ.get("TAKT_BIN") or os.path.join(REPO, ".build", "debug", "takt")
DRONE = os.path.join(REPO, "fixtures", "drone")
BOM_CYCLE = os.path.join(REPO, "fixtures", "invalid", "bom-cycle")

try:
    import dask  # noqa: F401
    import distributed  # noqa: F401

    HAVE_DASK = True
except ImportError:
    HAVE_DASK = False

SKIP = not HAVE_DASK and os.environ.get("CI") != "true"
SKIP_REASON = "dask and distributed are not installed (pip install dask distributed); CI is not true"


def takt_dask(*args):
    """Runs `python -m takt_dask ARGS` with this checkout's package; returns (exit code, stdout, stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PYTHON_DIR, env.get("PYTHONPATH")) if p)
    env["TAKT_BIN"] = TAKT
    completed = subprocess.run([sys.executable, "-m", "takt_dask"] + list(args), env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=300)
    return completed.returncode, completed.stdout.decode(), completed.stderr.decode()
