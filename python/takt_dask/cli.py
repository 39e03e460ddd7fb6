"""`takt-dask simulate MODEL --samples N --shards K --out DIR`: takt simulate's shards on Dask."""

import argparse
import sys

from . import __version__
from .simulate import SimulateError, simulate

DESCRIPTION = """\
Runs `takt simulate` as K shards on a Dask distributed cluster and merges them with
`takt simulate merge`: the merged simulation.csv and criticality.csv are byte for byte
those of one `takt simulate MODEL --samples N --seed S` run."""

SIMULATE_DESCRIPTION = """\
One Dask task per shard runs `takt simulate MODEL --samples N --shard i/K` on a worker
and returns the shard's files; the client merges them into --out with its own takt.
The model folder is shipped to the workers (read here, written into a temporary folder
on each worker) unless --shared-path says every worker reads MODEL at the same path.
Without --scheduler a local cluster is started on 127.0.0.1."""


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive whole number, got %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive whole number, got %r" % text)
    return value


def build_parser():
    parser = argparse.ArgumentParser(prog="takt-dask", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version="takt-dask " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    sim = commands.add_parser("simulate", help="run takt simulate's shards on Dask and merge them",
                              description=SIMULATE_DESCRIPTION)
    sim.add_argument("model", metavar="MODEL", help="the model folder")
    sim.add_argument("--samples", type=_positive, required=True, help="how many samples in all (N)")
    sim.add_argument("--shards", type=_positive, required=True, help="how many shards, one Dask task each (K)")
    sim.add_argument("--out", required=True, help="the merged output folder (as takt simulate's --out)")
    sim.add_argument("--seed", help="the generator's seed (takt's default when not given)")
    sim.add_argument("--scenario", action="append", default=[], metavar="FILE",
                     help="a what-if scenario file to apply (repeatable, in order); shipped like the model")
    sim.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                     help="a running Dask scheduler; without it a local cluster is started on 127.0.0.1")
    sim.add_argument("--workers", type=_positive, default=2,
                     help="worker processes of the local cluster (default 2; ignored with --scheduler)")
    sim.add_argument("--takt", metavar="PATH",
                     help="the takt binary, here and on every worker (default: $TAKT_BIN, else takt on PATH, "
                          "looked up on each worker)")
    sim.add_argument("--shared-path", action="store_true",
                     help="do not ship the model: every worker reads MODEL (and scenarios) at the same absolute path")
    sim.add_argument("--force", action="store_true",
                     help="replace --out even if it is not a previous Takt output folder")
    sim.add_argument("--quiet", action="store_true", help="print only the merge's summary line and errors")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        line = simulate(args.model, args.samples, args.shards, args.out, seed=args.seed,
                        scheduler=args.scheduler, workers=args.workers, takt=args.takt,
                        shared_path=args.shared_path, scenarios=args.scenario, force=args.force,
                        quiet=args.quiet)
    except SimulateError as error:
        print("takt-dask: %s" % error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("takt-dask: interrupted", file=sys.stderr)
        return 130
    if line:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
