"""takt-dask on a LocalCluster on 127.0.0.1 with two worker processes gives the bytes of one local run.

The takt binary: $TAKT_BIN, else .build/debug/takt in the repository (run `swift build`
or `swift test` first). Skipped only where Dask is not installed and CI is not "true":
in CI (scripts/test.sh installs dask and distributed) a missing Dask fails the test.
"""

import os
import subprocess
import sys
import tempfile
import time
import unittest

from dask_helpers import BOM_CYCLE, DRONE, SKIP, SKIP_REASON, TAKT, takt_dask


@unittest.skipIf(SKIP, SKIP_REASON)
class DaskSimulateTests(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.access(TAKT, os.X_OK), "no takt binary at %s: build it or set TAKT_BIN" % TAKT)
        self.tmp = tempfile.TemporaryDirectory(prefix="takt-dask-test-")
        self.addCleanup(self.tmp.cleanup)

    def test_three_shards_on_two_workers_give_the_bytes_of_one_run(self):
        local = os.path.join(self.tmp.name, "local")
        subprocess.run([TAKT, "simulate", DRONE, "--samples", "60", "--seed", "7", "--out", local, "--quiet"],
                       check=True, stdin=subprocess.DEVNULL)
        merged = os.path.join(self.tmp.name, "dask")
        started = time.monotonic()
        code, out, err = takt_dask("simulate", DRONE, "--samples", "60", "--seed", "7", "--shards", "3",
                                   "--workers", "2", "--out", merged)
        print("\n  takt-dask on a 2-process LocalCluster: %.1f s" % (time.monotonic() - started), file=sys.stderr)
        self.assertEqual(code, 0, err)
        self.assertIn("simulated 60 samples", out)
        self.assertEqual(err.count("done on tcp://127.0.0.1:"), 3, err)
        for name in ("simulation.csv", "criticality.csv", "summary.json"):
            with open(os.path.join(local, name), "rb") as a, open(os.path.join(merged, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name + " differs from the local run's")

    def test_a_bad_model_exits_2_with_takts_message(self):
        out = os.path.join(self.tmp.name, "bad")
        code, _, err = takt_dask("simulate", BOM_CYCLE, "--samples", "6", "--shards", "2", "--out", out,
                                 "--quiet")
        self.assertEqual(code, 2, err)
        self.assertIn("failed on worker", err)
        # takt's own message, with the client's model path rather than the worker's temporary copy
        self.assertIn(os.path.join(BOM_CYCLE, "bom.csv") + ":5: BOM cycle: KIT -> PART -> KIT", err)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
