"""Compare the run files of two results folders (a rerun against the committed one), file by file.

    python scripts/compare_runs.py results/rbv2_xgboost/meta-test /path/to/rerun/rbv2_xgboost/meta-test
    python scripts/compare_runs.py results/rbv2_xgboost /path/to/rerun/rbv2_xgboost     # the leave-one-task-out runs
    python scripts/compare_runs.py results/rf-wide/meta-test rerun/rf-wide/meta-test --shared-tasks   # a rerun of some tasks (--tasks)

A run file is identical when every row agrees on tuner, task, seed, k, the best value so far, its regret and the
evaluations' recorded cost (cpu_s, wall_s, gpu_s); the tuner's own time and the replay's wall time are measurements
of this machine and are not compared. For a file that differs: on how many tasks, from which k, and the mean
regret after 10 evaluations in each; and how each file's rows were made where the two differ (a run file records it:
the package, Python, the tuners' libraries, the CPU and its kernel settings; files written before 2026-12-06 record
nothing). Last, what the two folders' last runs were made with, where their `suite.json`
files differ (library versions, Python, the package, the CPU and its kernel settings): MetaTuner's network and CMA-ES
follow the CPU's numeric kernels, so runs made on another kind of CPU can differ on a few rows.
"""
import argparse, json, sys
from pathlib import Path
import pandas as pd

KEY, SAME = ['tuner', 'task', 'seed', 'k'], ['best', 'regret', 'cpu_s', 'wall_s', 'gpu_s']

def compare(a:Path, b:Path, shared:bool=False) -> str:
    x, y = pd.read_parquet(a), pd.read_parquet(b)
    note = ''
    if shared:  # only the tasks both files hold
        both = set(x.task) & set(y.task)
        if not both: return "no task in common"
        note = f"; {len(both)} of {len(set(x.task) | set(y.task))} tasks compared, those both hold"
        x, y = x[x.task.isin(both)], y[y.task.isin(both)]
    cols = KEY + [c for c in SAME if c in x.columns and c in y.columns]
    x, y = (d[cols].sort_values(KEY).reset_index(drop=True) for d in (x, y))
    if x.equals(y): return f"identical ({len(x)} rows{note})"
    if len(x) != len(y) or not x[KEY].equals(y[KEY]): return f"DIFFERENT rows: {len(x)} vs {len(y)}"
    diff = ~((x[cols[4:]] == y[cols[4:]]) | (x[cols[4:]].isna() & y[cols[4:]].isna())).all(axis=1)
    first = x[diff].groupby('task').k.min()
    r10 = lambda d: d[d.k == 10].regret.mean()
    return (f"DIFFERENT on {first.size} of {x.task.nunique()} tasks (from k={int(first.min())}; median first k {first.median():g}); "
            f"mean regret @10 {r10(x):.4f} vs {r10(y):.4f}{note}")

def main(a:str, b:str, shared:bool=False) -> int:
    runs = [Path(d) / 'runs' for d in (a, b)]
    for d, r in zip((a, b), runs):  # comparing nothing is not a success
        if not any(r.glob('*.parquet')):
            print(f"no run files in {str(r)!r}: give a folder that holds runs/ (a suite's meta-test or meta-val folder, or the suite's "
                  f"own folder for loto), e.g. results/rf-wide/meta-test", file=sys.stderr)
            return 2
    files = sorted(f for f in runs[0].glob('*.parquet') if not shared or (runs[1] / f.name).exists())  # --shared-tasks: the files both hold
    if not files: print("the two folders hold no run file of the same name: nothing to compare", file=sys.stderr); return 2
    same, apart = 0, 0
    for f in files:
        g = runs[1] / f.name
        msg = compare(f, g, shared) if g.exists() else 'missing in the second folder'
        same += msg.startswith('identical'); apart += msg == 'no task in common'; print(f"{f.name}: {msg}")
        if g.exists():
            for line in made_apart(f, g): print(f"  {line}")
    if shared:
        n_one = len({f.name for r in runs for f in r.glob('*.parquet')}) - len(files)
        if n_one: print(f"{n_one} run file(s) in one folder only: not compared (--shared-tasks)")
        if apart == len(files): print("no run file holds a task of both folders: nothing compared", file=sys.stderr); return 2
    only = [] if shared else sorted(f.name for f in runs[1].glob('*.parquet') if not (runs[0] / f.name).exists())
    for n in only: print(f"{n}: missing in the first folder")
    print(f"{same} of {len(files) + len(only)} run files identical")
    for line in provenance(Path(a), Path(b)): print(line)
    return 0 if same == len(files) + len(only) else 1

def _flat(e:dict) -> dict:
    "One setting of `made_with` as flat keys ('cpu vector', 'libraries torch', 'python')."
    return {f"{k} {j}" if isinstance(v, dict) else k: w for k, v in e.items() for j, w in (v.items() if isinstance(v, dict) else [(None, v)])}

def made_apart(a:Path, b:Path) -> list[str]:
    "How two run files' rows were made (their Parquet metadata, `metahpo.suites.made_with`), where it differs: one line each, the settings' values as sets."
    from metahpo.suites import made_with
    x, y = made_with(a), made_with(b)
    if x is None and y is None: return []
    if x is None or y is None: return [f"made with: recorded in the {'second' if x is None else 'first'} file only"]
    same = lambda m: {json.dumps(e, sort_keys=True) for e in m}
    if same(x) == same(y): return []
    out = [f"made with: {len(x)} setting(s) vs {len(y)} (rows of a resumed or spliced file made apart)"] if max(len(x), len(y)) > 1 else []
    out += [f"made with: some rows of the {n} file were written before files recorded it" for n, m, o in (('first', x, y), ('second', y, x)) if None in m and None not in o]
    fx, fy = [_flat(e) for e in x if e is not None], [_flat(e) for e in y if e is not None]
    vals = lambda fs, k: sorted({repr(f.get(k)) for f in fs})
    keys = sorted({k for f in fx + fy for k in f if fx and fy and vals(fx, k) != vals(fy, k)})
    return out + [f"made with {k}: {' / '.join(vals(fx, k))} vs {' / '.join(vals(fy, k))}" for k in keys]

def provenance(a:Path, b:Path) -> list[str]:
    "Where the two folders' last runs were made with other libraries, Python, package or CPU (their suite.json), one line each."
    spec = [json.loads((d / 'suite.json').read_text()) if (d / 'suite.json').exists() else {} for d in (a, b)]
    out = []
    for key in ('last_run_libraries', 'last_run_cpu', 'python', 'package_version'):
        x, y = spec[0].get(key), spec[1].get(key)
        if x is None or y is None:
            if x != y: out.append(f"{key}: recorded in {'the second' if x is None else 'the first'} folder only")
            continue
        if isinstance(x, dict): out += [f"{key} {k}: {x.get(k)!r} vs {y.get(k)!r}" for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
        elif x != y: out.append(f"{key}: {x!r} vs {y!r}")
    return out or ['both folders\' last runs were made with the same recorded libraries, Python, package and CPU (suite.json records a '
                   'folder\'s last run only: its files of earlier runs may have been made with others)']

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], epilog=__doc__.split('\n\n', 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('first', help='a results folder holding runs/ (e.g. results/rf-wide/meta-test)')
    p.add_argument('second', help='the folder to compare it with (e.g. a rerun)')
    p.add_argument('--shared-tasks', action='store_true', help='compare only the run files and tasks both folders hold (a rerun limited with --tasks, --tuners or --seeds)')
    a = p.parse_args()
    sys.exit(main(a.first, a.second, a.shared_tasks))
