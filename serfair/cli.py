"""Command line: arguments -> AuditSpec -> audit() -> print -> exit code."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from serfair.errors import SerfairError  # noqa: E402

console = Console(stderr=False)
err_console = Console(stderr=True)


def friendly(func):
    """Print SerfairError without a traceback and exit 2."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SerfairError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err_console.print("[yellow]interrupted: predictions made so far are saved; "
                              "re-run the same command to resume[/]")
            sys.exit(130)
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
@click.option("--conditions", help="e.g. clean,noise@snr=10,noise@snr=0")
@click.option("--slices", help="Manifest columns to slice by, e.g. gender,dataset,gender*dataset")
@click.option("--seed", type=int, help="Run seed (perturbations are seeded per clip and condition).")
@click.option("--workers", type=int, help="Worker processes (default: the machine's cores).")
@click.option("--out", help="Run folder (default: reports/<name>).")
@click.option("--name", help="Audit name (default: the spec's file name, or 'demo').")
@friendly
def audit(spec_path, model, model_format, data, corpus, labels, sample_rate, preprocess, logits,
          conditions, slices, seed, workers, out, name) -> None:
    """Audit a model on clean and perturbed speech, sliced by speaker groups."""
    from serfair.audit import audit as run_audit
    from serfair.spec import load_spec

    spec = load_spec(
        spec_path, model=model, format=model_format, data=data, corpus=corpus,
        labels=labels.split(",") if labels else None, sample_rate=sample_rate, preprocess=preprocess,
        logits=logits, conditions=conditions, slices=slices, seed=seed, workers=workers, out=out,
        name=name,
    )
    with Progress(TextColumn("[bold]inference[/]"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err_console, transient=False) as bar:
        task = bar.add_task("predict", total=None)
        run = run_audit(spec, progress=lambda done, total: bar.update(task, completed=done, total=total))
    print_summary(run.result)
    for fmt, path in run.files.items():
        console.print(f"wrote [bold]{path}[/]")


def print_summary(result: dict) -> None:
    """A table of the headline metric per group and condition."""
    conditions = [c["name"] for c in result["conditions"]]
    table = Table(title=f"UAR (%) by group and condition: {result['name']}", show_lines=False)
    table.add_column("slice")
    table.add_column("group")
    table.add_column("speakers", justify="right")
    for c in conditions:
        table.add_column(c, justify="right")
    cells: dict[tuple[str, str], dict] = {}
    for row in result["metrics"]["groups"]:
        cells.setdefault((row["slice"], row["group"]), {})[row["condition"]] = row
    for (slice_name, group), per in cells.items():
        first = per[conditions[0]]
        table.add_row(slice_name, group, str(first["n_speakers"]),
                      *[f"{100 * per[c]['uar']:.1f}" if c in per and per[c]["uar"] is not None else "–"
                        for c in conditions])
    console.print(table)
    for warning in result.get("warnings", []):
        console.print(f"[yellow]warning:[/] {warning['message']}", highlight=False)


@main.command()
@click.argument("result_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True)
@click.option("--out", type=click.Path(file_okay=False), help="Folder to write into (default: beside the result).")
@friendly
def report(result_path, fmt, out) -> None:
    """Re-render a result.json without touching the model."""
    from serfair.report import write_outputs
    from serfair.report.json_out import read_result

    result = read_result(result_path)
    folder = Path(out) if out else Path(result_path).parent
    for path in write_outputs(result, folder, (fmt,)).values():
        console.print(f"wrote [bold]{path}[/]")


@main.command()
@friendly
def datasets() -> None:
    """List the corpus readers and what each provides."""
    from serfair.data.readers import READERS

    table = Table(title="Corpus readers (auto-detected from a folder)")
    for column in ("name", "corpus", "provides", "licence"):
        table.add_column(column)
    for reader in READERS.values():
        table.add_row(reader.name, reader.description, ", ".join(reader.provides), reader.licence)
    table.add_row("manifest", "any corpus: manifest.csv / .jsonl with path, speaker_id, gender, emotion",
                  "whatever columns it has", "")
    console.print(table)


@main.command("train-reference")
@click.option("--data", default="../shared/data", show_default=True, help="Folder with manifest.csv.")
@click.option("--out", default="reference_models", show_default=True)
@click.option("--name", default="cnnlstm-v1", show_default=True)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--augment", is_flag=True, help="Seeded waveform augmentation (noise, pitch, tempo, gain).")
@click.option("--epochs", type=int, help="Override the recipe's number of epochs.")
@friendly
def train_reference(data, out, name, seed, augment, epochs) -> None:
    """Train a reference CNN-LSTM (needs the `train` extra: pip install -e '.[train]')."""
    try:
        from serfair.reference.train import train_reference as train
    except ImportError as exc:
        raise SerfairError(f"training needs torch: pip install -e '.[train]' ({exc})") from exc
    evaluation = train(Path(data), Path(out), name=name, seed=seed, augment=augment, epochs=epochs)
    console.print_json(data={k: v for k, v in evaluation.items() if not isinstance(v, (list, dict))})


if __name__ == "__main__":  # pragma: no cover
    main()
