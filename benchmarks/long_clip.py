"""Memory a 10-minute clip adds to the engine, with the default crop (sanity.max_duration_s 60 s).

    OMP_NUM_THREADS=1 python benchmarks/long_clip.py [--minutes 10] [--uncropped]

Linux only (reads VmHWM from /proc/self/status). Writes a 10-minute 48 kHz stereo float WAV (real speech from the demo set, looped) and runs one
engine task (decode, clean + noise@snr=10, the bundled reference model) in a fresh process twice:
with imports and the model only, on the long clip alone, on 12 demo clips alone, and on the same
clips plus the long one. Prints each run's peak resident memory, what the long clip costs above
the imports (and its ratio to the 500 MB target) and above the short clips' run, and how many
model calls the long clip shared with other clips (0: it never pads them).
`--uncropped` also runs the long clip without a limit (several GB: only on a machine with room).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

TARGET_MB = 500.0
CHILD = r"""
import json, sys
from serfair.data.quality import AudioLimits
from serfair.engine.tasks import Task, run_task
from serfair.models import ModelSpec, load_adapter
from serfair.paths import reference_model

def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)
    with open("/proc/self/status") as handle:
        line = next(l for l in handle if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024

clips, crop = json.loads(sys.argv[1]), json.loads(sys.argv[2])
spec = ModelSpec(source=str(reference_model()))
adapter = load_adapter(spec)
calls = []
original = adapter.predict_proba
def counting(waves):
    calls.append([len(w) for w in waves])
    return original(waves)
adapter.predict_proba = counting
import serfair.engine.tasks as tasks
tasks._ADAPTERS[spec] = adapter
if not clips:  # imports and the model only
    print(json.dumps({"peak_mb": peak_mb()}))
    sys.exit(0)
task = Task(clips=tuple(map(tuple, clips)), todo=(("clean", "noise@snr=10"),) * len(clips), seed=0,
            batch_size=16, limits=AudioLimits(max_duration_s=crop))
run_task(task, spec)
longest = max(max(c) for c in calls)
shared = sum(1 for c in calls if longest in c and len(c) > 1)
print(json.dumps({"peak_mb": peak_mb(),
                  "calls": len(calls), "long_shared": shared, "longest_s": longest / 16000}))
"""


def run(clips: list[tuple[str, str]], crop: float | None) -> dict:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(clips), json.dumps(crop)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--uncropped", action="store_true")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd
    import soundfile as sf
    import soxr

    from serfair.data.loader import demo_data_dir

    demo = demo_data_dir()
    frame = pd.read_csv(demo / "manifest.csv", dtype=str, keep_default_na=False).head(12)
    short = [(f"c{i}", str(demo / p)) for i, p in enumerate(frame["path"])]
    wave, rate = sf.read(short[0][1], dtype="float32")
    voice = soxr.resample(wave, rate, 48000)
    n = int(args.minutes * 60 * 48000)
    long = np.tile(voice, n // len(voice) + 1)[:n]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.wav"
        sf.write(str(path), np.stack([long, long], axis=1), 48000, subtype="FLOAT")
        idle = run([], 60.0)
        alone = run([("long", str(path))], 60.0)
        base = run(short, 60.0)
        with_long = run(short + [("long", str(path))], 60.0)
        added = with_long["peak_mb"] - base["peak_mb"]
        print(f"{args.minutes:g}-minute clip ({path.stat().st_size / 1e6:.0f} MB file), crop at 60 s")
        print(f"  peak RSS, imports and model only:    {idle['peak_mb']:.0f} MB")
        print(f"  peak RSS, the long clip alone:       {alone['peak_mb']:.0f} MB = "
              f"{alone['peak_mb'] - idle['peak_mb']:.0f} MB for the clip = "
              f"{(alone['peak_mb'] - idle['peak_mb']) / TARGET_MB:.2f}x the {TARGET_MB:.0f} MB target")
        print(f"  peak RSS, 12 short clips alone:      {base['peak_mb']:.0f} MB")
        print(f"  peak RSS, plus the long clip:        {with_long['peak_mb']:.0f} MB "
              f"(scored {with_long['longest_s']:.0f} s of it)")
        print(f"  added by the long clip to that run:  {added:.0f} MB")
        print(f"  model calls the long clip shared with other clips: {with_long['long_shared']} "
              f"of {with_long['calls']} calls")
        if args.uncropped:
            whole = run(short + [("long", str(path))], None)
            print(f"  uncropped: peak {whole['peak_mb']:.0f} MB "
                  f"({whole['peak_mb'] - base['peak_mb']:.0f} MB added)")


if __name__ == "__main__":
    main()
