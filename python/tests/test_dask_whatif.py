"""takt-dask whatif on a LocalCluster on 127.0.0.1 with two worker processes writes what one local
`takt whatif` of the same model and scenarios writes.

The takt binary and the skip rule: see dask_helpers.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from dask_helpers import DRONE, SKIP, SKIP_REASON, TAKT, takt_dask

SCENARIOS = [os.path.join(DRONE, "scenarios", name)
             for name in ("late-pcb.yaml", "ramp-80.yaml", "second-smt-shift.yaml")]


def files_under(folder):
    """Every file under `folder` as a sorted list of paths relative to it, with '/'."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            found.append(os.path.relpath(os.path.join(parent, name), folder).replace(os.sep, "/"))
    return sorted(found)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def without_timings(value):
    """A run's summary.json without what differs from run to run: `timings` and every `*_ms`."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k != "timings" and not k.endswith("_ms")}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


@unittest.skipIf(SKIP, SKIP_REASON)
class DaskWhatifTests(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.access(TAKT, os.X_OK), "no takt binary at %s: build it or set TAKT_BIN" % TAKT)
        self.tmp = tempfile.TemporaryDirectory(prefix="takt-dask-whatif-test-")
        self.addCleanup(self.tmp.cleanup)

    def write(self, relative, text):
        path = os.path.join(self.tmp.name, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def test_three_shards_on_two_workers_write_what_one_local_whatif_writes(self):
        # The drone's three scenarios, and late-pcb again without its `name:` line: that one
        # is named after its file ("slipping-pcb"), which the shipped copy must keep.
        with open(SCENARIOS[0]) as handle:
            nameless = "".join(line for line in handle if not line.startswith("name:"))
        scenarios = SCENARIOS + [self.write("mine/slipping-pcb.yaml", nameless)]
        local = os.path.join(self.tmp.name, "local")
        shown = subprocess.run([TAKT, "whatif", DRONE] + scenarios + ["--out", local, "--write-lp", "--quiet"],
                               check=True, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE).stdout.decode()
        merged = os.path.join(self.tmp.name, "dask")
        started = time.monotonic()
        code, out, err = takt_dask("whatif", DRONE, *scenarios, "--shards", "3", "--workers", "2",
                                   "--write-lp", "--out", merged)
        print("\n  takt-dask whatif on a 2-process LocalCluster: %.1f s" % (time.monotonic() - started),
              file=sys.stderr)
        self.assertEqual(code, 0, err)
        self.assertEqual(err.count("done on tcp://127.0.0.1:"), 3, err)
        # The comparison table, as the local run prints it.
        self.assertIn("figure", out)
        self.assertIn("slipping-pcb", out)
        self.assertEqual(out, shown)

        runs = ["base", "late-pcb", "ramp-80", "second-smt-shift", "slipping-pcb"]
        with open(os.path.join(local, "compare.csv")) as handle:
            self.assertEqual([line.split(",")[0] for line in handle.read().splitlines()[1:]], runs)
        self.assertEqual(files_under(merged), files_under(local))
        for name in ("compare.csv", "compare.html", "summary.json"):
            self.assertEqual(read(os.path.join(merged, name)), read(os.path.join(local, name)),
                             name + " differs from the local run's")
        for run in runs:
            names = files_under(os.path.join(local, run))
            self.assertIn("lp/index.csv", names)
            for name in names:
                a, b = read(os.path.join(local, run, name)), read(os.path.join(merged, run, name))
                if name == "summary.json":  # the timings differ; the rest, the model's path too, does not
                    self.assertEqual(without_timings(json.loads(b)), without_timings(json.loads(a)), run)
                else:
                    self.assertEqual(a, b, "%s/%s differs from the local run's" % (run, name))

    def test_a_scenario_naming_an_unknown_item_exits_2_with_takts_message(self):
        bad = self.write("mine/unknown-item.yaml", "lead_time_days: {NO-SUCH-ITEM: 3}\n")
        out = os.path.join(self.tmp.name, "bad")
        code, shown, err = takt_dask("whatif", DRONE, SCENARIOS[0], bad, "--shards", "2", "--out", out, "--quiet")
        self.assertEqual(code, 2, err)
        self.assertEqual(shown, "")
        self.assertIn("failed on worker", err)
        # takt's own message, naming the client's scenario path rather than the worker's copy
        self.assertIn(bad + ':1: unknown item "NO-SUCH-ITEM"', err)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
