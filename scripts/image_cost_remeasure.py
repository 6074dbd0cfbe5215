"""Issue 17: what the image family's build costs on one machine, measured like for like.

Every CIFAR-10 task of the image family trains ResNet-50 on the same number of images (5,000 at 16 pixels) for the
same steps, so its 27-point grid is the same work whatever its classes. Yet the grids recorded in the shipped base
cost from 0.38 to 0.72 CPU hours: they were built in different sessions, where a CPU second bought unequal work. This
script sets three recorded grids against the same grids built again on the machine at hand, with the same command:

    export METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
    metahpo metadataset --family resnet50 --space grid --repo builds/image-remeasure.db \
        --tasks cifar10-bird-frog,cifar10-airplane-ship,digits --workers 2 --no-progress
    PYTHONPATH=. python scripts/image_cost_remeasure.py builds/image-remeasure.db

The two CIFAR-10 tasks are the most expensive recorded grids (a rule fixed before the run); digits, the one task of
another size, is built again too. Nothing else ran on the machine during the build. Writes
results/metadataset_image/remeasure.csv (one row per re-measured point with its recorded and re-measured CPU seconds,
wall seconds and validation accuracy: the same code and seeds, so the accuracies say whether the run is the same
computation) and remeasure.json (the summary the families page shows). Prints per task the recorded and re-measured
CPU hours of the grid, and the family's grid cost at the re-measured rate: every CIFAR-10 task at the mean re-measured
CPU hours of a CIFAR-10 grid, every other task (digits) at its own re-measured cost.
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, json, tempfile, numpy as np, pandas as pd
from pathlib import Path
from metahpo.repository import Repository
from metahpo.experience import shipped_experience_path
from metahpo.metadataset_nn import image_tasks

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'results' / 'metadataset_image' / 'remeasure.csv'
GRID = 'meta-resnet50-grid-'  # the image family's seed-grid studies

def trials(df:pd.DataFrame) -> pd.DataFrame:
    "The seed-grid trials of the image family, one row per (task, configuration)."
    d = df[(df.model_family == 'resnet50') & df.study.str.startswith(GRID) & (df.status == 'complete')].copy()
    d['config'] = d.config.map(lambda c: json.dumps(json.loads(c), sort_keys=True))
    d['val_accuracy'] = d.metrics.map(lambda m: json.loads(m)['val_accuracy'])
    return d[['task', 'config', 'cpu_s', 'wall_s', 'val_accuracy', 'started_at']]

def compare(repo:str|Path) -> pd.DataFrame:
    "Each point of the re-measured grids beside its recorded twin in the shipped base."
    if not Path(repo).is_file(): raise SystemExit(f"no repository at {str(repo)!r}: build the grids again first (the command above)")
    with tempfile.TemporaryDirectory() as tmp, Repository(repo) as r:
        new = trials(pd.read_parquet(r.export_parquet(Path(tmp) / 'remeasure.parquet', studies=GRID + '*')))
    if new.empty: raise SystemExit(f"{str(repo)!r} holds no complete trial of an image seed-grid study ({GRID}*)")
    old = trials(pd.read_parquet(shipped_experience_path()))
    m = new.merge(old, on=['task', 'config'], suffixes=('_new', '_recorded'), validate='one_to_one')
    if len(m) < len(new): raise SystemExit(f"{len(new) - len(m)} re-measured points have no recorded twin")
    return m.rename(columns={'started_at_recorded': 'recorded_at', 'started_at_new': 'remeasured_at'}).sort_values(['task', 'config'])

def family_estimate(m:pd.DataFrame, shipped:pd.DataFrame) -> dict:
    "The family's grid cost at the re-measured rate: CIFAR-10 tasks at the mean re-measured CIFAR-10 grid, the others at their own (re-measured, else recorded)."
    grids = m.groupby('task').cpu_s_new.sum() / 3600
    per_grid = grids[grids.index.str.startswith('cifar10-')].mean()
    cifar = [t for t in image_tasks() if t.startswith('cifar10-')]
    other = (shipped[~shipped.task.str.startswith('cifar10-')].groupby('task').cpu_s.sum() / 3600).to_dict()
    other.update({t: h for t, h in grids.items() if not t.startswith('cifar10-')})
    return dict(cifar_tasks=len(cifar), per_cifar_grid_cpu_h=per_grid, other_cpu_h=float(sum(other.values())),
                family_cpu_h=len(cifar) * per_grid + float(sum(other.values())))

def per_task(m:pd.DataFrame) -> pd.DataFrame:
    "Per re-measured task: its points, the grid's recorded and re-measured CPU hours and their ratio, how many points repeat their validation accuracy (to four decimals, as the CSV holds them) and the two runs' Spearman correlation."
    d = m.assign(same=m.val_accuracy_new.round(4) == m.val_accuracy_recorded.round(4), gap=(m.val_accuracy_new - m.val_accuracy_recorded).abs())
    g = d.groupby('task').agg(points=('config', 'size'), recorded_cpu_h=('cpu_s_recorded', 'sum'), remeasured_cpu_h=('cpu_s_new', 'sum'),
                              recorded_on=('recorded_at', 'min'), same_val_accuracy=('same', 'sum'), max_abs_val_diff=('gap', 'max'))
    g[['recorded_cpu_h', 'remeasured_cpu_h']] /= 3600
    g['spearman'] = [x.val_accuracy_new.corr(x.val_accuracy_recorded, method='spearman') for _, x in d.groupby('task')]
    g['ratio'] = g.recorded_cpu_h / g.remeasured_cpu_h
    return g

def summary(m:pd.DataFrame) -> dict:
    "What the families page shows: the per-task table, the point-by-point median ratio and the family estimate."
    est = family_estimate(m, trials(pd.read_parquet(shipped_experience_path())))
    return dict(tasks=per_task(m).reset_index().to_dict('records'), median_ratio=float(np.median(m.cpu_s_recorded / m.cpu_s_new)),
                points=len(m), **{k: float(v) for k, v in est.items()})

if __name__ == '__main__':
    m = compare(sys.argv[1] if len(sys.argv) > 1 else ROOT / 'builds' / 'image-remeasure.db')
    OUT.parent.mkdir(parents=True, exist_ok=True)
    m.to_csv(OUT, index=False, float_format='%.4f')
    s = summary(m)
    OUT.with_suffix('.json').write_text(json.dumps(s, indent=1, default=int) + '\n')
    print(pd.DataFrame(s['tasks']).set_index('task').round(4).to_string())
    print(f"point by point, recorded over re-measured CPU seconds: median {s['median_ratio']:.2f}")
    print(f"family grid at the re-measured rate: {s['cifar_tasks']:.0f} CIFAR-10 tasks x {s['per_cifar_grid_cpu_h']:.3f} CPU h"
          f" + the other tasks (digits) {s['other_cpu_h']:.3f} CPU h = {s['family_cpu_h']:.2f} CPU h")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(m)} points) and {OUT.with_suffix('.json').relative_to(ROOT)}")
