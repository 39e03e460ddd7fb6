"""`takt-dask simulate|whatif ...`: takt simulate's or takt whatif's shards on Dask."""

import argparse
import sys

from . import __version__
from .cluster import TaktDaskError
from .simulate import simulate
from .whatif import whatif

DESCRIPTION = """\
Runs `takt simulate` or `takt whatif` as K shards on a Dask distributed cluster and merges
them with `takt simulate merge` or `takt whatif merge`: the merged files are byte for byte
those of one local run (simulation.csv and criticality.csv of `takt simulate MODEL --samples N
--seed S`; compare.csv, compare.html and summary.json of `takt whatif MODEL SCENARIO...`)."""

SIMULATE_DESCRIPTION = """\
One Dask task per shard runs `takt simulate MODEL --samples N --shard i/K` on a worker
and returns the shard's files; the client merges them into --out with its own takt.
The model folder is shipped to the workers (read here, written into a temporary folder
on each worker) unless --shared-path says every worker reads MODEL at the same path.
Without --scheduler a local cluster is started on 127.0.0.1."""

WHATIF_DESCRIPTION = """\
One Dask task per shard runs `takt whatif MODEL SCENARIO... --shard i/K` on a worker (shard
i plans runs i, i+K, ... of base, scenario 1, scenario 2, ...) and returns the shard's
folder, run folders included; the client merges them into --out with its own
`takt whatif merge` and prints the comparison table. The model folder and the scenario
files are shipped to the workers (the scenarios keep their file names, which name a
scenario without a `name:` key) unless --shared-path says every worker reads them at the
same paths. Without --scheduler a local cluster is started on 127.0.0.1."""


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a positive whole number, got %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive whole number, got %r" % text)
    return value


def _cluster_options(command, model_help, quiet_help):
    """The options simulate and whatif share: where the shards run and how --out is written."""
    command.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                         help="a running Dask scheduler; without it a local cluster is started on 127.0.0.1")
    command.add_argument("--workers", type=_positive, default=2,
                         help="worker processes of the local cluster (default 2; ignored with --scheduler)")
    command.add_argument("--takt", metavar="PATH",
                         help="the takt binary, here and on every worker (default: $TAKT_BIN, else takt on PATH, "
                              "looked up on each worker)")
    command.add_argument("--shared-path", action="store_true",
                         help="do not ship the model: every worker reads %s at the same absolute path" % model_help)
    command.add_argument("--force", action="store_true",
                         help="replace --out even if it is not a previous Takt output folder")
    command.add_argument("--quiet", action="store_true", help=quiet_help)


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
    _cluster_options(sim, "MODEL (and scenarios)", "print only the merge's summary line and errors")

    wif = commands.add_parser("whatif", help="run takt whatif's shards on Dask and merge them",
                              description=WHATIF_DESCRIPTION)
    wif.add_argument("model", metavar="MODEL", help="the model folder")
    wif.add_argument("scenarios", metavar="SCENARIO", nargs="+",
                     help="scenario files (YAML), in order; shipped like the model")
    wif.add_argument("--shards", type=_positive, required=True,
                     help="how many shards, one Dask task each (K); more than the runs leaves some empty")
    wif.add_argument("--out", required=True, help="the merged output folder (as takt whatif's --out)")
    wif.add_argument("--write-lp", action="store_true", help="also write each run's phase LPs (as takt whatif)")
    wif.add_argument("--pegging", action="store_true", help="also write each run's pegging.csv (as takt whatif)")
    _cluster_options(wif, "MODEL and the scenarios", "print only errors (no progress, no comparison table)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.command == "whatif":
            text = whatif(args.model, args.scenarios, args.shards, args.out, scheduler=args.scheduler,
                          workers=args.workers, takt=args.takt, shared_path=args.shared_path,
                          write_lp=args.write_lp, pegging=args.pegging, force=args.force, quiet=args.quiet)
        else:
            text = simulate(args.model, args.samples, args.shards, args.out, seed=args.seed,
                            scheduler=args.scheduler, workers=args.workers, takt=args.takt,
                            shared_path=args.shared_path, scenarios=args.scenario, force=args.force,
                            quiet=args.quiet)
    except TaktDaskError as error:
        print("takt-dask: %s" % error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("takt-dask: interrupted", file=sys.stderr)
        return 130
    if text:
        print(text, end="" if text.endswith("\n") else "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
