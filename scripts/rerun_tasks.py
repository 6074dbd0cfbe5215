"""Rerun some tasks of a suite's results folder and put their rows in place of the old ones, after checking on control tasks
that the code still makes the folder's other rows bit for bit (so the folder reads as one full rerun would).

Used when what a task learns from changes and rerunning the whole folder would take hours: the leave-one-task-out runs of
the random-forest suites took about two hours each, and only `cmc` and `contraceptive` (one PMLB table under two names,
now each other's twins, left out of each other's experience) had to change.

    python scripts/rerun_tasks.py --suite rf-grid --protocol loto --tasks cmc,contraceptive

It reads the folder's `suite.json` (seeds, tuners, MetaTuner's settings) and its run files (which tuner ran on which
seeds), reruns the tasks and the controls with each file's tuner and seed into a scratch folder, compares the controls'
rows with the folder's (every column but the measured times), and only if all agree writes the new rows of the tasks
into the run files (each file replaced whole, or not at all). Then `metahpo benchmark --suite <suite> --protocol <p>`
finds every run done and rewrites the summary.
"""
from __future__ import annotations
import argparse, json, sys, tempfile, time
from collections import defaultdict
from pathlib import Path
import numpy as np, pandas as pd

KEY = ['tuner', 'task', 'seed', 'k']
SAME = ['best', 'regret', 'cpu_s', 'wall_s', 'gpu_s']  # what the code decides; tuner_s and bench_* are times measured now

CONTROL_KERNELS = {'OMP_NUM_THREADS': '1', 'OPENBLAS_CORETYPE': 'Haswell'}  # what scripts/meta_test_controls.sh and loto_controls.sh set

def kernel_note(spec:dict, env=None) -> str|None:
    "A line saying which settings that choose numeric kernels differ from the folder's last run (its suite.json), or where it records none, from the controls scripts'; None if none differs."
    import os
    from metahpo.suites import _KERNEL_SETTINGS
    env = os.environ if env is None else env
    was, whose = ((spec['last_run_cpu'], "the folder's last run") if spec.get('last_run_cpu') else (CONTROL_KERNELS, 'what the controls scripts set'))
    diff = [f"{k} {was.get(k)!r} there, {env.get(k)!r} here" for k in _KERNEL_SETTINGS if k in was and was.get(k) != env.get(k)]
    return (f"note: kernel settings differ from {whose} ({'; '.join(diff)}): OpenBLAS and MKL may round otherwise on this CPU, so a control "
            "can differ for that reason alone (on one CPU here, CMA-ES's runs did without OPENBLAS_CORETYPE=Haswell)") if diff else None

def _best_from(rows:pd.DataFrame) -> str:
    "The first k from which a committed run of one task (one or more seeds) held its final regret: a row that differs later changes only what came after the best was found."
    return ', '.join(str(int(g.k[g.regret <= g.regret.min()].min())) for _, g in rows.groupby('seed'))

def main(argv=None) -> int:
    from metahpo.suites import run_suite, suite_experience, SUITES, _write, made_with
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--suite', required=True, choices=list(SUITES))
    p.add_argument('--protocol', default='loto', choices=['loto', 'meta-val', 'meta-test'])
    p.add_argument('--out', default='results', help='the results root (default results)')
    p.add_argument('--tasks', required=True, help='comma-separated tasks to rerun')
    p.add_argument('--controls', type=int, default=2, help='other tasks, drawn with seed 0, rerun to check the code still makes their rows (default 2)')
    p.add_argument('--tuners', help="comma-separated tuners to rerun (default every tuner with a run file)")
    p.add_argument('--compare', default=','.join(SAME), help=f"the columns of the controls' rows that must agree (default {','.join(SAME)}; "
                   "'best,regret' accepts a tie between equally good configurations broken otherwise, which moves only the recorded costs)")
    p.add_argument('--check-only', action='store_true', help='rerun and compare, write nothing')
    a = p.parse_args(argv)
    home = Path(a.out) / a.suite
    folder = home if a.protocol == 'loto' else home / a.protocol
    spec = json.loads((folder / 'suite.json').read_text())
    if spec.get('protocol', 'loto') != a.protocol: sys.exit(f"{folder} holds protocol {spec.get('protocol')!r} runs, not {a.protocol!r}")
    files = sorted((folder / 'runs').glob('*-seed*.parquet'))
    if a.tuners: files = [f for f in files if f.stem.rsplit('-seed', 1)[0] in a.tuners.split(',')]
    if not files: sys.exit(f"{folder / 'runs'} holds no run file: run `metahpo benchmark --suite {a.suite} --protocol {a.protocol}` instead")
    seeds = defaultdict(list)  # tuner -> the seeds it ran on
    for f in files:
        tuner, seed = f.stem.rsplit('-seed', 1); seeds[tuner].append(int(seed))
    old = {f: pd.read_parquet(f) for f in files}
    tuned = sorted(set(next(iter(old.values())).task))
    tasks = [t.strip() for t in a.tasks.split(',') if t.strip()]
    if unknown := sorted(set(tasks) - set(tuned)): sys.exit(f"task(s) {unknown} are not tuned in {folder}; it tunes {len(tuned)}, e.g. {', '.join(tuned[:5])}")
    ex = suite_experience(a.suite, spec.get('experience'), n_candidates=spec.get('n_candidates') or 100,
                          cache=home / 'candidates.db' if SUITES[a.suite].source == 'yahpo' else None)
    twinned = sorted(t.name for t in ex.tasks if t.name in tuned and len(ex.twins(t.meta_features)) > 1)  # tasks whose experience the twin rule changes
    if (missing := [t for t in twinned if t not in tasks]) and not a.check_only:  # a check writes no row: it may leave them out
        sys.exit(f"task(s) {missing} have twins in the suite, so their rows change too: name them in --tasks as well")
    rest = [t for t in tuned if t not in tasks and t not in twinned]
    controls = sorted(np.random.default_rng(0).choice(rest, min(a.controls, len(rest)), replace=False).tolist())
    if note := kernel_note(spec): print(note, file=sys.stderr)
    print(f"{a.suite} ({a.protocol}): rerunning {tasks} and controls {controls} for {len(files)} run files")
    groups = defaultdict(list)  # tuners that ran on the same seeds run together (they share meta-trained surrogates, as in the folder)
    for tuner, s in seeds.items(): groups[tuple(sorted(s))].append(tuner)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (ss, tuners) in enumerate(groups.items()):
            run_suite(a.suite, Path(tmp) / str(i), seeds=list(ss), tuners=tuners, tasks=tasks + controls, members=spec['members'],
                      meta_steps=spec['meta_steps'], n_warm=spec['n_warm'], budget=spec['budget'], progress=True, evaluations=ex,
                      protocol=a.protocol)
        new = {f: pd.read_parquet(next(Path(tmp).glob(f'*/runs/{f.name}'))) for f in files}
    print(f"reran in {time.perf_counter() - t0:.0f} s")
    bad, same = [], [c for c in a.compare.split(',') if c]
    if unknown := sorted(set(same) - set(SAME)): sys.exit(f"--compare: unknown column(s) {unknown}; choose from {', '.join(SAME)}")
    for f in files:
        o = old[f][old[f].task.isin(controls)].sort_values(KEY).reset_index(drop=True)
        n = new[f][new[f].task.isin(controls)].sort_values(KEY).reset_index(drop=True)
        if len(o) != len(n) or not (o[KEY].equals(n[KEY]) and np.allclose(o[same].to_numpy(float), n[same].to_numpy(float), rtol=0, atol=1e-12, equal_nan=True)):
            bad.append(f.name)
            if len(o) == len(n) and o[KEY].equals(n[KEY]):
                d = (n.groupby('task').regret.mean() - o.groupby('task').regret.mean()).abs()
                cols = [c for c in SAME if not np.allclose(o[c].to_numpy(float), n[c].to_numpy(float), rtol=0, atol=1e-12, equal_nan=True)]
                rows = ~np.isclose(o[same].to_numpy(float), n[same].to_numpy(float), rtol=0, atol=1e-12, equal_nan=True).all(axis=1)
                where = [f"{t} from k {int(g.k.min())} (its best value held from k {_best_from(o[o.task == t])})" for t, g in o[rows].groupby('task')]
                print(f"  {f.name}: the controls' mean regret differs by up to {d.max():.4f} ({(n.regret != o.regret).mean():.0%} of rows); "
                      f"columns that differ: {cols}; rows that differ: {'; '.join(where)}")
    print(f"controls: {len(files) - len(bad)} of {len(files)} run files made again bit for bit in {', '.join(same)}" + (f"; differ: {', '.join(bad)}" if bad else ''))
    changed = {f: float((new[f][new[f].task.isin(tasks)].groupby('task').regret.mean()
                         - old[f][old[f].task.isin(tasks)].groupby('task').regret.mean()).abs().max()) for f in files}
    print(f"the rerun tasks' mean regret moved in {sum(v > 0 for v in changed.values())} of {len(files)} run files (largest {max(changed.values()):.4f})")
    if a.check_only: print("--check-only: nothing written"); return 1 if bad else 0
    good = [f for f in files if f.name not in bad]
    for f in good:
        o, n = old[f], new[f][new[f].task.isin(tasks)].copy()
        n['bench_wall_s'], n['bench_cpu_s'] = o.bench_wall_s.iloc[0], o.bench_cpu_s.iloc[0]  # the file's own run time stays as measured
        rank = {t: i for i, t in enumerate(dict.fromkeys(o.task))}  # the folder's own order of tasks
        out = pd.concat([o[~o.task.isin(tasks)], n[o.columns]])
        _write(out.sort_values(['task', 'seed', 'k'], key=lambda c: c.map(rank) if c.name == 'task' else c, kind='stable').reset_index(drop=True), f,
               [made_with(f)])  # the file's other rows, as they were made, and the rerun tasks' here
    print(f"wrote the new rows of {tasks} into {len(good)} run files under {folder / 'runs'}")
    if bad:
        tuners = sorted({f.split('-seed')[0] for f in bad}); ss = sorted({int(f.split('-seed')[1].split('.')[0]) for f in bad})
        print(f"not written: {', '.join(bad)} (the code makes other rows for their controls): delete them and run "
              f"`metahpo benchmark --suite {a.suite} --protocol {a.protocol} --seeds {max(ss) + 1} --tuners {','.join(tuners)}` to make them whole")
        return 1
    print(f"now `metahpo benchmark --suite {a.suite} --protocol {a.protocol}` rewrites the summary (its surrogate.json is rebuilt only "
          "when missing: delete it, calibration.csv and surrogate_tasks.csv where the change touches the surrogate report)")
    return 0


if __name__ == '__main__':
    sys.exit(main())
