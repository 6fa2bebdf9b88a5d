"""Command line: arguments -> AuditSpec -> audit() -> print -> exit code."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Self

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click
from rich.console import Console
from rich.table import Table

from serfair.errors import SerfairError
from serfair.terminal import error, line, plain, write_crash_log, wrote
from serfair.terminal import plain as escape
from serfair.trust import TRUST_HELP

console = Console(stderr=False)
err_console = Console(stderr=True)


EXIT_INTERNAL = 3
RUN_FOLDER: list[Path] = []  # where a crash log goes: the run folder once a command knows it


def friendly(func):
    """SerfairError: its message without a traceback, exit 2. Any other exception is a bug:
    "internal error, please report" and the traceback in a log file, exit 3."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        RUN_FOLDER.clear()
        try:
            return func(*args, **kwargs)
        except SerfairError as exc:
            error(err_console, exc)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            error(err_console, "predictions made so far are saved; re-run the same command to "
                  "resume", label="interrupted:", style="yellow")
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in serfair: log it, exit 3
            log = write_crash_log(exc, RUN_FOLDER[-1] if RUN_FOLDER else None)
            error(err_console, f"{type(exc).__name__}: {exc}", label="internal error, please report:")
            err_console.print(line("the traceback is in ", (str(log), "bold"),
                                   " (attach it to the report)"), soft_wrap=True)
            sys.exit(EXIT_INTERNAL)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(package_name="serfair")
@click.pass_context
def main(ctx: click.Context) -> None:
    """serfair: fairness and robustness audits for speech emotion recognition models."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False), help="Audit spec YAML (audits/*.yaml).")
@click.option("--model", help="Model file or reference (default: the bundled reference model).")
@click.option("--format", "model_format", help="Adapter to use when the file suffix is ambiguous.")
@click.option("--data", help="Manifest CSV/JSONL, a folder with manifest.csv, or a corpus folder "
              "(default: the bundled demo set).")
@click.option("--corpus", help="Force a corpus reader (see `serfair datasets`).")
@click.option("--labels", help="Model labels in output order, comma-separated, if the model lacks them.")
@click.option("--sample-rate", type=int, help="Model sample rate, if the model lacks it.")
@click.option("--preprocess", help="package.module:function turning (wave, sample_rate) into model input.")
@click.option("--logits", is_flag=True, default=None, help="The model outputs logits: apply softmax.")
@click.option("--postprocess", help="package.module:function on the output probabilities, or an output "
              "map summing columns, e.g. 'female_*=*,male_*=*' or 'female_angry=angry,male_angry=angry'.")
@click.option("--frontend", help="Declarative features instead of the waveform: mfcc_mean, "
              "mfcc_chroma_mel_mean, logmel_seq, mfcc_seq (options: 'mfcc_mean:n_mfcc=13,hop_length=256').")
@click.option("--label-map", help="Map data emotions onto model labels, e.g. 'calm=neutral,excited=happy'.")
@click.option("--trust-pickle", is_flag=True, default=None, help="Allow joblib/pickle model files "
              "(unpickling runs code from the file: only for files you trust).")
@click.option("--trust-code", is_flag=True, default=None, help=TRUST_HELP)
@click.option("--conditions", help="e.g. clean,noise@snr=10,noise@snr=0")
@click.option("--slices", help="Manifest columns to slice by, e.g. gender,dataset,gender*dataset")
@click.option("--probes", help="Counterfactual probes with their default settings, e.g. gender_swap "
              "(docs/probes.md); replaces the spec's probes.")
@click.option("--seed", type=int, help="Run seed (perturbations are seeded per clip and condition).")
@click.option("--workers", type=int, help="Worker processes (default: the machine's cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), help="Where tasks run: local "
              "worker processes (default) or Dask distributed (the `dask` extra; docs/scaling.md).")
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default with "
              "--executor dask: a LocalCluster of --workers processes).")
@click.option("--out", help="Run folder (default: reports/<name>).")
@click.option("--name", help="Audit name (default: the spec's file name, else the model's file "
              "name; 'demo' for the bundled reference model).")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Gate policy YAML: exit 1 when a rule with severity fail fails.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="Baseline result.json for the policy's relative_to rules.")
@click.option("--train-manifest", type=click.Path(dir_okay=False),
              help="The model's training manifest (speaker_id, optional audio_sha256/path): "
              "report audited speakers and clips that were in training.")
@friendly
def audit(spec_path, model, model_format, data, corpus, labels, sample_rate, preprocess, logits,
          postprocess, frontend, label_map, trust_pickle, trust_code, conditions, slices, probes,
          seed, workers, executor, scheduler, out, name, policy, baseline, train_manifest) -> None:
    """Audit a model on clean and perturbed speech, sliced by speaker groups.

    Exit code: 0 done (and every fail rule passed), 1 a fail rule failed, 2 bad input or
    refused, 3 internal error (a bug: the traceback is written to a log file in the run folder).
    """
    from serfair.audit import audit as run_audit
    from serfair.spec import load_spec

    spec = load_spec(
        spec_path, model=model, format=model_format, data=data, corpus=corpus,
        labels=labels.split(",") if labels else None, sample_rate=sample_rate, preprocess=preprocess,
        logits=logits, conditions=conditions, slices=slices, seed=seed, workers=workers,
        executor=executor or ("dask" if scheduler else None), scheduler=scheduler, out=out,
        name=name, policy=policy, postprocess=postprocess, frontend=frontend, label_map=label_map,
        trust_pickle=trust_pickle, trust_code=trust_code, probes=probes,
        training_data=train_manifest,
    )
    RUN_FOLDER.append(spec.out_dir())
    if spec.models:
        audit_several(spec, baseline)
        return
    with InferenceBar() as bar:
        run = run_audit(spec, progress=bar, baseline=baseline)
    print_summary(run.result)
    print_reused(run)
    for fmt, path in run.files.items():
        wrote(console, path)
    finish_gate(run.result, run.files)


def print_reused(run) -> None:
    """Say which stages were read back from the run folder instead of recomputed."""
    if run.reused:
        console.print(f"[dim]unchanged since the last run into {escape(str(run.out_dir))}: reused "
                      f"{', '.join(run.reused)} (delete its .serfair folder to recompute)[/]",
                      highlight=False)


class InferenceBar:
    """The inference progress bar, drawn at the first progress report: the up-front checks (data,
    labels, model) come first, so their errors are printed alone."""

    def __init__(self) -> None:
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("[bold]inference[/]"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=err_console, transient=False)
            self.bar.start()
            self.task = self.bar.add_task("predict", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def audit_several(spec, baseline) -> None:
    """A spec with `models: [...]`: audit each model, then compare them (exit 1 if any gate fails)."""
    from serfair.audit import audit_models
    from serfair.gate import exit_code
    from serfair.report.compare import read_comparison, sentences

    with InferenceBar() as bar:
        runs, files = audit_models(spec, progress=bar, baseline=baseline)
    for run in runs:
        print_summary(run.result)
        if run.result.get("verdict"):
            print_verdict(run.result["verdict"])
        wrote(console, run.out_dir)
    for sentence in sentences(read_comparison(files["json"])):
        console.print(plain(sentence), highlight=False, markup=True)
    for path in files.values():
        wrote(console, path)
    code = max(exit_code(run.result.get("verdict")) for run in runs)
    if code:
        sys.exit(code)


def print_summary(result: dict) -> None:
    """UAR per group and condition in tables that fit the terminal, then the notes."""
    from serfair.report.terminal import summary_tables

    for table in summary_tables(result, console.width):
        console.print(table)
    print_notes(result)


def print_notes(result: dict) -> None:
    """Below the table: the largest robustness interactions, the findings, the warnings."""
    from serfair.report.robustness_figures import interaction_sentences

    for sentence in interaction_sentences(result.get("robustness") or {})[:3]:
        console.print(f"robustness: {plain(sentence)}", highlight=False, markup=True)
    print_findings(result)
    for probe in (result.get("probes") or {}).values():
        for f in probe.get("findings", []):
            console.print(f"probe: {escape(f['text'])}", highlight=False, soft_wrap=True)
    leakage = result.get("leakage")
    if leakage:
        colour = "green" if leakage["speaker_independent"] else "bold red"
        console.print(f"[{colour}]leakage check:[/] {escape(leakage['message'])}", highlight=False)
    for warning in result.get("warnings", []):
        if warning.get("kind") != "leakage":  # printed above
            console.print(f"[yellow]warning:[/] {escape(warning['message'])}", highlight=False)


def print_findings(result: dict, top: int = 5) -> None:
    """The most important fairness findings, in words."""
    from rich.text import Text

    from serfair.text import printable

    findings = result.get("findings") or []
    if not findings:
        return
    correction = (result.get("tests") or {}).get("correction_name", "")
    console.print(f"[bold]Findings[/] ({min(top, len(findings))} of {len(findings)}; p-values "
                  f"adjusted by {plain(correction)}):", highlight=False)
    colours = {"flag": "bold red", "note": "yellow", "info": "dim"}
    lines = Table.grid(padding=(0, 1))  # wrapped to the terminal, with a hanging indent
    lines.add_column(width=6, justify="right")
    lines.add_column()
    for f in findings[:top]:
        lines.add_row(Text(printable(f["level"].upper()), style=colours.get(f["level"], "default")),
                      Text(printable(f["text"])))
    console.print(lines)


def print_verdict(verdict: dict) -> None:
    """One coloured line per gate rule, then the overall verdict."""
    from serfair.gate import empty_message

    colours = {"pass": "green", "fail": "bold red", "warn": "yellow", "skipped": "dim"}
    for rule in verdict["rules"]:
        status = rule["status"]
        console.print(f"[{colours[status]}]{status.upper():>7}[/] {escape(rule['id'])}: "
                      f"{escape(rule['message'])}", highlight=False, markup=True, soft_wrap=True)
    counts = verdict["counts"]
    word, colour = verdict["status"].upper(), colours[verdict["status"]]
    if empty_message(verdict):
        word, colour = "CHECKED NOTHING", "bold red"
    console.print(f"[{colour}]gate {word}[/]: "
                  f"{counts['pass']} passed, {counts['fail']} failed, {counts['warn']} warned, "
                  f"{counts['skipped']} skipped (policy {escape(str(verdict['policy'].get('name')))})")


def finish_gate(result: dict, files: dict) -> None:
    """Print the verdict, append summary.md to $GITHUB_STEP_SUMMARY, exit 1 on a failed rule."""
    from serfair.gate import empty_message, exit_code
    from serfair.report.markdown import append_step_summary

    if result.get("verdict"):
        print_verdict(result["verdict"])
    if "md" in files:
        target = append_step_summary(Path(files["md"]).read_text(encoding="utf-8"))
        if target:
            wrote(console, target, "appended the summary to")
    code = exit_code(result.get("verdict"))
    refused = empty_message(result.get("verdict"))
    if refused:
        error(err_console, refused, label="refused:")
    if code:
        sys.exit(code)


@main.command()
@click.argument("result_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmts", type=click.Choice(["html", "md", "junit", "json", "all"]),
              multiple=True, default=("html",), show_default=True, help="Repeat for several.")
@click.option("--out", type=click.Path(file_okay=False), help="Folder to write into (default: beside the result).")
@click.option("--policy", type=click.Path(dir_okay=False), help="Apply a gate policy first "
              "(its verdict goes into every output; the exit code stays 0, see `serfair gate`).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Baseline result.json for relative_to rules.")
@friendly
def report(result_path, fmts, out, policy, baseline) -> None:
    """Re-render a result.json (html, md, junit, json) without touching the model."""
    from serfair.report import RENDERERS, write_outputs
    from serfair.report.json_out import read_result

    result = read_result(result_path)
    if policy:
        from serfair.gate import evaluate
        from serfair.policy import load_policy

        result["verdict"] = evaluate(load_policy(policy, baseline=baseline), result)
    folder = Path(out) if out else Path(result_path).parent
    formats = tuple(RENDERERS) if "all" in fmts else tuple(dict.fromkeys(fmts))
    for path in write_outputs(result, folder, formats).values():
        wrote(console, path)


@main.command()
@click.argument("result_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--policy", required=True, type=click.Path(dir_okay=False), help="Gate policy YAML.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Baseline result.json for relative_to rules.")
@click.option("--write", is_flag=True, help="Write the gated result.json, report.html, summary.md "
              "and junit.xml (beside the result, replacing them, or into --out). Without it, or "
              "--out, the gate only prints the verdict and sets the exit code.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Folder for the gated outputs (implies --write; the original run is left as is).")
@friendly
def gate(result_path, policy, baseline, write, out) -> None:
    """Gate an existing result.json with a policy (no model needed; writes nothing unless --write).

    Exit code: 0 pass (warnings allowed), 1 a rule with severity fail failed, 2 bad input or no
    rule evaluated (unless the policy says allow_empty: true), 3 internal error.
    """
    from serfair.gate import evaluate
    from serfair.policy import load_policy
    from serfair.report import write_outputs
    from serfair.report.json_out import read_result

    loaded = load_policy(policy, baseline=baseline)
    result = read_result(result_path)
    result["verdict"] = evaluate(loaded, result)
    files: dict = {}
    if write or out:
        files = write_outputs(result, Path(out) if out else Path(result_path).parent)
        for path in files.values():
            wrote(console, path)
    finish_gate(result, files)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["auto", "policy", "spec"]), default="auto", show_default=True,
              help="What the files are; auto: a file with `rules:` is a policy, else an audit spec.")
@friendly
def validate(paths, kind) -> None:
    """Check policies and audit specs without running anything (exit 2 on the first invalid one)."""
    from serfair.gate import preflight
    from serfair.policy import load_policy, validate_file
    from serfair.spec import load_spec

    for path in paths:
        summary = validate_file(path, kind)
        spec = load_spec(path, check_trust=False) if summary.startswith("audit spec") else None
        if spec is not None and spec.policy:  # its rules against the spec's conditions and slices
            preflight(load_policy(spec.policy), conditions=spec.conditions, slices=list(spec.slices))
        console.print(line(("ok", "green"), f" {path}: {summary}"), highlight=False)


@main.command()
@friendly
def datasets() -> None:
    """List the corpus readers and what each provides."""
    from serfair.data.readers import READERS

    table = Table(title="Corpus readers (auto-detected from a folder)")
    for column in ("name", "corpus", "layout", "provides", "licence"):
        table.add_column(column)
    for reader in READERS.values():
        table.add_row(reader.name, reader.description, reader.layout, ", ".join(reader.provides),
                      reader.licence)
    table.add_row("manifest", "any corpus: manifest.csv / .jsonl with path, speaker_id, gender, emotion",
                  "manifest.csv or manifest.jsonl", "whatever columns it has", "")
    console.print(table)


@main.command()
@friendly
def adapters() -> None:
    """List the model adapters (formats) and how each is recognised."""
    from serfair.models import ordered_kinds

    table = Table(title="Model adapters (chosen from the file, or --format)")
    for column in ("format", "recognised by", "model", "example"):
        table.add_column(column)
    for kind in ordered_kinds():
        recognised = ", ".join(kind.suffixes) or (kind.detect.__doc__ or "").strip().split("\n")[0]
        table.add_row(kind.name, recognised, kind.description, kind.example)
    console.print(table)


@main.command()
@friendly
def conditions() -> None:
    """List the perturbation families, their parameters, units, ranges and defaults."""
    from serfair.perturb import FAMILIES

    table = Table(title="Perturbation families: family@param=value[:param=value] (docs/perturbations.md)")
    for column in ("family", "parameter", "unit", "range", "default", "meaning"):
        table.add_column(column)
    for family in FAMILIES.values():
        for i, p in enumerate(family.params):
            table.add_row(family.name if i == 0 else "", p.name, p.unit, p.valid(), f"{p.default:g}",
                          p.description, end_section=i == len(family.params) - 1)
    console.print(table)


@main.command()
@click.option("--data", help="Manifest, folder or corpus, as for `audit` (default: the demo set).")
@click.option("--corpus", help="Force a corpus reader (see `serfair datasets`).")
@click.option("--conditions", required=True, help="e.g. noise@snr=10,babble@snr=5,telephone")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write into.")
@click.option("--limit", type=int, help="Only the first N clips of the data.")
@click.option("--seed", type=int, default=0, show_default=True, help="Run seed, as for `audit`.")
@click.option("--sample-rate", type=int, default=16000, show_default=True, help="The model's rate.")
@click.option("--format", "fmt", type=click.Choice(["flac", "wav"]), default="flac", show_default=True,
              help="flac: 16-bit, for listening; wav: 32-bit float, exactly what the model heard.")
@friendly
def perturb(data, corpus, conditions, out, limit, seed, sample_rate, fmt) -> None:
    """Write perturbed audio (OUT/<condition>/<clip>.flac + manifest.csv) to listen to."""
    from serfair.data.loader import load_dataset, manifest_file
    from serfair.lifecycle import run_lock
    from serfair.perturb import parse_conditions
    from serfair.perturb.export import write_perturbed

    clips = load_dataset(data, corpus=corpus)
    manifest = manifest_file(data, corpus)
    chosen = parse_conditions(conditions)
    with run_lock(Path(out)):  # a second perturb or audit into the same folder is refused
        written = write_perturbed(clips, chosen, Path(out), seed=seed, sample_rate=sample_rate,
                                  limit=limit, fmt=fmt, inputs=(manifest,) if manifest else ())
    console.print(line(f"wrote {len(written)} files ({written['source_clip_id'].nunique()} clips x "
                       f"{written['condition'].nunique()} conditions) and ",
                       (str(Path(out) / "manifest.csv"), "bold")), soft_wrap=True)


@main.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder for comparison.html, comparison.md and comparison.json.")
@friendly
def compare(results, out) -> None:
    """Compare result.json files of models audited on the same data (the first is the baseline)."""
    from serfair.report.compare import read_comparison, sentences, write_comparison
    from serfair.report.json_out import read_result

    files = write_comparison([read_result(p) for p in results], Path(out))
    for sentence in sentences(read_comparison(files["json"])):
        console.print(plain(sentence), highlight=False, markup=True)
    for path in files.values():
        wrote(console, path)


@main.command("train-reference")
@click.option("--data", default="../shared/data", show_default=True, help="Folder with manifest.csv.")
@click.option("--out", default="reference_models", show_default=True)
@click.option("--name", default="cnnlstm-v1", show_default=True)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--augment", is_flag=True, help="Seeded waveform augmentation (noise, pitch, tempo, gain).")
@click.option("--epochs", type=int, help="Override the recipe's number of epochs.")
@click.option("--rnn", type=click.Choice(["lstm", "gru"]), default="lstm", show_default=True,
              help="Recurrent layer: CNN-LSTM or CNN-GRU.")
@click.option("--group-balance", type=click.Choice(["none", "reweight", "sample"]),
              default="none", show_default=True,
              help="Balance gender x corpus groups in training (loss weights or sampling).")
@click.option("--split", "split_kind", type=click.Choice(["speaker", "clip"]), default="speaker",
              show_default=True,
              help="'clip': a random clip-level split (leaky; for the leakage worked example).")
@click.option("--no-refit", is_flag=True, help="Export the train-only model (no refit on train + val).")
@click.option("--threads", type=click.IntRange(1, 2), default=2, show_default=True,
              help="Torch threads (results are deterministic for a given seed and thread count).")
@friendly
def train_reference(data, out, name, seed, augment, epochs, rnn, group_balance, split_kind,
                    no_refit, threads) -> None:
    """Train a reference CNN-LSTM / CNN-GRU (needs the `train` extra: pip install -e '.[train]')."""
    try:
        from serfair.reference.model import ModelConfig
        from serfair.reference.train import TrainConfig
        from serfair.reference.train import train_reference as train
    except ImportError as exc:
        raise SerfairError(f"training needs torch: pip install -e '.[train]' ({exc})") from exc
    config = TrainConfig(group_balance=group_balance, threads=threads, model=ModelConfig(rnn=rnn))
    evaluation = train(Path(data), Path(out), name=name, seed=seed, augment=augment, epochs=epochs,
                       config=config, refit=False if no_refit else None, split=split_kind)
    console.print_json(data={k: v for k, v in evaluation.items() if not isinstance(v, (list, dict))})


@main.command("build-ensemble")
@click.option("--data", default="../shared/data", show_default=True, help="Folder with manifest.csv.")
@click.option("--out", default="reference_models", show_default=True,
              help="Folder with the members' .onnx, .eval.json and .pt files; the ensemble goes here.")
@click.option("--name", default="ensemble-v2", show_default=True)
@click.option("--members", default=None,
              help="Comma-separated reference models to average [default: the pair chosen in "
                   "--selection, else cnnlstm-v1,cnngru-v1].")
@click.option("--selection", default=None,
              help="The record `serfair select-ensemble` wrote: build its chosen pair.")
@friendly
def build_ensemble(data, out, name, members, selection) -> None:
    """One ONNX ensemble of reference models (mean of probabilities, one front end)."""
    try:
        from serfair.reference.ensemble import train_ensemble
    except ImportError as exc:
        raise SerfairError(f"building an ensemble needs torch: pip install -e '.[train]' ({exc})") from exc
    try:
        names = [m.strip() for m in (members or "").split(",") if m.strip()]
        if selection is None and not names:
            names = ["cnnlstm-v1", "cnngru-v1"]
        evaluation = train_ensemble(Path(data), Path(out), name, names, selection=selection)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise SerfairError(f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError)
                           else str(exc)) from exc
    console.print_json(data={k: v for k, v in evaluation.items() if not isinstance(v, (list, dict))})


@main.command("select-ensemble")
@click.option("--data", default="../shared/data", show_default=True, help="Folder with manifest.csv.")
@click.option("--out", default="reference_models", show_default=True,
              help="Folder with the candidates' .eval.json and .train-only.pt files.")
@click.option("--lstm", required=True, help="Comma-separated CNN-LSTM candidates.")
@click.option("--gru", required=True, help="Comma-separated CNN-GRU candidates.")
@click.option("--record", default=None, help="Write every pair's validation UAR here (JSON).")
@friendly
def select_ensemble(data, out, lstm, gru, record) -> None:
    """Pick the ensemble's CNN-LSTM + CNN-GRU pair on the validation speakers only."""
    try:
        from serfair.reference.ensemble_selection import select_ensemble as select
    except ImportError as exc:
        raise SerfairError(f"selecting an ensemble needs torch: pip install -e '.[train]' ({exc})") from exc
    names = [[m.strip() for m in v.split(",") if m.strip()] for v in (lstm, gru)]
    try:
        result = select(Path(data), Path(out), names[0], names[1], record)
    except (FileNotFoundError, ValueError) as exc:
        raise SerfairError(str(exc)) from exc
    for pair in result["pairs"]:
        console.print(f"{' + '.join(pair['members'])}: validation UAR {pair['validation_uar']:.4f}",
                      markup=False, highlight=False)
    console.print(f"chosen: {' + '.join(result['chosen'])} "
                  f"(validation UAR {result['chosen_validation_uar']:.4f}); next: "
                  f"{result['build_command']}", markup=False, highlight=False)


if __name__ == "__main__":  # pragma: no cover
    main()
