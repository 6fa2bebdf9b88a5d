"""Check that a published reference model is what its documented command gives.

    python -m serfair.reference.reproduce reference_models/cnngru-v1.eval.json [...] \
        --data ../shared/data [--workdir DIR] [--record]

Re-runs each model's `command` (from its eval JSON) with `--out` pointed at a scratch folder,
compares the new file's sha256 with the published one and prints the wall-clock time. With
`--record` the outcome is stored in the eval JSON as `reproduced` and shown on the card.
Ensembles (`serfair build-ensemble`) are rebuilt from the members in the model's folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The documented commands this tool re-runs: program prefix -> (module run with this interpreter,
# its options: name -> takes a value). An eval JSON is data: anything else in its `command` (another
# subcommand such as `audit`, a flag such as --trust-code) is refused, never run.
_TRAIN = {"--data": True, "--out": True, "--name": True, "--seed": True, "--augment": False,
          "--epochs": True, "--no-refit": False, "--threads": True, "--rnn": True,
          "--group-balance": True, "--split": True}
PROGRAMS: dict[tuple[str, ...], tuple[list[str], dict[str, bool]]] = {
    ("serfair", "train-reference"): (["-m", "serfair.cli", "train-reference"], _TRAIN),
    ("serfair", "build-ensemble"): (["-m", "serfair.cli", "build-ensemble"],
                                    {"--data": True, "--out": True, "--name": True,
                                     "--members": True, "--selection": True}),
    ("python", "-m", "serfair.reference.train"): (
        ["-m", "serfair.reference.train"],
        {**{k: v for k, v in _TRAIN.items() if k in ("--data", "--out", "--name", "--seed",
                                                     "--augment", "--epochs", "--no-refit")},
         "--limit-per-speaker": True}),
}


def rerun_argv(command: str, out_dir: Path, data_dir: Path | None) -> list[str]:
    """The documented command as an argv for this interpreter, writing to `out_dir`; ValueError
    for anything but a training command with its known options."""
    words = shlex.split(command)
    for prefix, (module, options) in PROGRAMS.items():
        if tuple(words[: len(prefix)]) == prefix:
            args = words[len(prefix):]
            break
    else:
        raise ValueError(f"not a serfair training command: {command!r}")
    i = 0
    while i < len(args):
        if args[i] not in options or (options[args[i]] and i + 1 >= len(args)):
            raise ValueError(f"{args[i]!r} is not an option this tool re-runs in {command!r}")
        i += 2 if options[args[i]] else 1
    args = _set_option(args, "--out", str(out_dir))
    if data_dir is not None:
        args = _set_option(args, "--data", str(data_dir))
    return [sys.executable, *module, *args]


def _set_option(args: list[str], flag: str, value: str) -> list[str]:
    if flag in args:
        i = args.index(flag)
        return [*args[: i + 1], value, *args[i + 2:]]
    return [*args, flag, value]


def reproduce(eval_json: Path, workdir: Path, data_dir: Path | None = None,
              log=print) -> dict:
    """Re-run one model's command into `workdir`; the outcome (sha256 equal, times)."""
    record = json.loads(eval_json.read_text())
    workdir.mkdir(parents=True, exist_ok=True)
    if record.get("members"):  # an ensemble: its members (and selection record) come along
        for m in record["members"]:
            for suffix in (".eval.json", ".onnx", ".pt", ".train-only.pt"):
                src = eval_json.parent / f"{m['name']}{suffix}"
                if src.exists() and not (workdir / src.name).exists():
                    shutil.copy(src, workdir / src.name)
    argv = rerun_argv(record["command"], workdir, data_dir)
    if record.get("selection"):
        argv = _set_option(argv, "--selection", str(eval_json.parent / record["selection"]["file"]))
    log(f"[{record['name']}] {' '.join(shlex.quote(a) for a in argv[1:])}")
    t0, load0 = time.time(), os.getloadavg()[0]
    done = subprocess.run(argv, check=False, capture_output=True, text=True)
    seconds = time.time() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{record['name']}: the command failed ({done.returncode}):\n"
                           f"{done.stderr[-2000:]}")
    new = json.loads((workdir / eval_json.name).read_text())
    outcome = {
        "date": dt.date.today().isoformat(),
        "sha256_equal": new["sha256"] == record["sha256"],
        "sha256": new["sha256"],
        "wall_seconds": round(seconds, 1),
        "training_seconds": new.get("training_seconds"),
        "uar": new.get("uar"),
        "validation_uar": new.get("validation_uar"),
        "threads": new.get("threads"),
        "load_average_1min": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }
    log(f"[{record['name']}] sha256 {'EQUAL' if outcome['sha256_equal'] else 'DIFFERENT'} "
        f"({new['sha256'][:12]} vs {record['sha256'][:12]}), {seconds:.0f} s wall clock")
    return outcome


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serfair.reference.reproduce", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("eval_json", nargs="+", type=Path)
    p.add_argument("--data", type=Path, default=None, help="folder with manifest.csv")
    p.add_argument("--workdir", type=Path, default=None, help="scratch folder (kept)")
    p.add_argument("--record", action="store_true",
                   help="store the outcome in each eval JSON (`reproduced`) and re-render its card")
    a = p.parse_args(argv)
    workdir = a.workdir or Path(tempfile.mkdtemp(prefix="serfair-reproduce-"))
    failed = 0
    for path in a.eval_json:
        try:
            outcome = reproduce(path, workdir, a.data)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:  # bad input: no traceback
            print(f"{path}: cannot reproduce: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
        failed += not outcome["sha256_equal"]
        if a.record:
            record = json.loads(path.read_text())
            record["reproduced"] = outcome
            path.write_text(json.dumps(record, indent=2) + "\n")
            from .card import render_card

            render_card(path, a.data or Path(record["data_dir"]))
    print(f"{len(a.eval_json) - failed} of {len(a.eval_json)} reproduced to the same file "
          f"(outputs in {workdir})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
