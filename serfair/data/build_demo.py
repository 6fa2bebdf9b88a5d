"""Build the bundled demo set from the full corpus: test speakers of the reference models only.

    python -m serfair.data.build_demo --source ../shared/data

RAVDESS: the first repetition of every sentence and emotion (calm and surprised included, so the
report shows clips the reference model cannot score); EmoDB: the six shared emotions.
The audio is copied as is (16 kHz FLAC); a manifest and a licence/attribution file are written.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pandas as pd

from serfair.data.loader import DEMO_DIR
from serfair.reference.split import LABELS, TEST_SPEAKERS

LICENCE = """# Demo set: licence and attribution

These clips are a small subset of two public corpora, kept unchanged apart from conversion to
16 kHz mono FLAC. They come only from the speakers that the bundled reference models never heard
in training (their test speakers), so the demo never scores training data.

## RAVDESS (ravdess/)

Livingstone SR, Russo FA (2018). The Ryerson Audio-Visual Database of Emotional Speech and Song
(RAVDESS): A dynamic, multimodal set of facial and vocal expressions in North American English.
PLoS ONE 13(5): e0196391. https://doi.org/10.1371/journal.pone.0196391

Licence: Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International (CC BY-NC-SA 4.0).
This subset is shared under the same licence: attribution required, non-commercial use only,
share-alike. Actors {ravdess}.

## Berlin EmoDB (emodb/)

Burkhardt F, Paeschke A, Rolfes M, Sendlmeier W, Weiss B (2005). A Database of German Emotional
Speech. Proceedings of Interspeech 2005, Lisbon, 1517-1520.

Free for research use; cite the paper above. Speakers {emodb}. Caveat: this copy of EmoDB was cut
to its first 2.0 s (about three quarters of the clips are truncated, sad clips the most); treat
EmoDB results as indicative.
"""


def select(manifest: pd.DataFrame) -> pd.DataFrame:
    """The demo rows: test speakers; RAVDESS repetition 1; EmoDB's six shared emotions."""
    rows = manifest[manifest["speaker_id"].isin(TEST_SPEAKERS)]
    ravdess = rows[(rows["dataset"] == "ravdess")
                   & rows["path"].str.extract(r"-(\d\d)-\d\d\.flac$")[0].eq("01")]
    emodb = rows[(rows["dataset"] == "emodb") & rows["emotion"].isin(LABELS)]
    return pd.concat([ravdess, emodb]).sort_values("path").reset_index(drop=True)


def build(source: Path, target: Path = DEMO_DIR) -> pd.DataFrame:
    """Copy the selected clips and write manifest.csv and LICENCE.md."""
    manifest = pd.read_csv(source / "manifest.csv", dtype=str, keep_default_na=False)
    chosen = select(manifest)
    if target.exists():
        shutil.rmtree(target)
    for rel in chosen["path"]:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, target / rel)
    chosen.to_csv(target / "manifest.csv", index=False)
    speakers = chosen.groupby("dataset")["speaker_id"].unique()
    (target / "LICENCE.md").write_text(LICENCE.format(
        ravdess=", ".join(sorted(speakers.get("ravdess", []))),
        emodb=", ".join(sorted(speakers.get("emodb", [])))))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    chosen = build(args.source)
    print(f"{len(chosen)} clips, {chosen['speaker_id'].nunique()} speakers -> {DEMO_DIR}")


if __name__ == "__main__":
    main()
