"""Compare the run files of two results folders (a rerun against the committed one), file by file.

    python scripts/compare_runs.py results/rbv2_xgboost /path/to/rerun/rbv2_xgboost

A run file is identical when every row agrees on tuner, task, seed, k, the best value so far, its regret and the
evaluations' recorded cost (cpu_s, wall_s, gpu_s); the tuner's own time and the replay's wall time are measurements
of this machine and are not compared. For a file that differs: on how many tasks, from which k, and the mean
regret after 10 evaluations in each.
"""
import sys
from pathlib import Path
import pandas as pd

KEY, SAME = ['tuner', 'task', 'seed', 'k'], ['best', 'regret', 'cpu_s', 'wall_s', 'gpu_s']

def compare(a:Path, b:Path) -> str:
    x, y = pd.read_parquet(a), pd.read_parquet(b)
    cols = KEY + [c for c in SAME if c in x.columns and c in y.columns]
    x, y = (d[cols].sort_values(KEY).reset_index(drop=True) for d in (x, y))
    if x.equals(y): return f"identical ({len(x)} rows)"
    if len(x) != len(y) or not x[KEY].equals(y[KEY]): return f"DIFFERENT rows: {len(x)} vs {len(y)}"
    diff = ~((x[cols[4:]] == y[cols[4:]]) | (x[cols[4:]].isna() & y[cols[4:]].isna())).all(axis=1)
    first = x[diff].groupby('task').k.min()
    r10 = lambda d: d[d.k == 10].regret.mean()
    return (f"DIFFERENT on {first.size} of {x.task.nunique()} tasks (from k={int(first.min())}; median first k {first.median():g}); "
            f"mean regret @10 {r10(x):.4f} vs {r10(y):.4f}")

def main(a:str, b:str) -> int:
    files = sorted((Path(a) / 'runs').glob('*.parquet'))
    same = 0
    for f in files:
        g = Path(b) / 'runs' / f.name
        msg = compare(f, g) if g.exists() else 'missing in the second folder'
        same += msg.startswith('identical'); print(f"{f.name}: {msg}")
    print(f"{same} of {len(files)} run files identical")
    return 0 if same == len(files) else 1

if __name__ == '__main__': sys.exit(main(*sys.argv[1:3]))
