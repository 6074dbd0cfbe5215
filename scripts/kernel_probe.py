"""Do MetaTuner's runs follow the CPU's numeric kernels? Reruns `meta` and `meta-sur` on a few leave-one-task-out tasks
of rf-wide, each setting in a fresh process, and compares their rows with the committed run files and with the files of
an earlier commit (by default the 2026-12-02 runs, which the 2026-12-03 reruns did not all make again).

Settings: `default` twice (PYTHONHASHSEED 1 and 2: does anything depend on the order of a set or a dict of strings?)
and `MKL_CBWR=COMPATIBLE` (MKL's reproducible code path in place of the one it picks for this CPU; torch multiplies
matrices with MKL). Written: results/reproducibility/kernels.csv, one row per setting, tuner and task: how many of the
task's rows (one per evaluation) differ in regret from the committed file (as the working tree holds it) and from the
earlier one, the regret after 5 and 10 evaluations in each, and the thread count (`OMP_NUM_THREADS`, which the child
processes inherit) and the CPU (its model and widest vector instructions, as a suite's `last_run_cpu` records them).
About 10 minutes on one core. `--out` writes elsewhere (another machine's probe beside this one's).

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data OPENBLAS_CORETYPE=Haswell python scripts/kernel_probe.py
"""
import argparse, io, json, os, subprocess, sys, tempfile
from pathlib import Path
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TASKS = 'kddcup,penguins,prnn_synth,vowel'  # four tasks whose meta-sur rows the 2026-12-03 rerun made other
TUNERS = ['meta', 'meta-sur']
SETTINGS = {'default (hash seed 1)': {'PYTHONHASHSEED': '1'}, 'default (hash seed 2)': {'PYTHONHASHSEED': '2'},
            'MKL_CBWR=COMPATIBLE': {'PYTHONHASHSEED': '1', 'MKL_CBWR': 'COMPATIBLE'}}
KEY = ['task', 'seed', 'k']

def _run(out, tasks):  # in the child process: the suite's own settings, as the committed folder records them
    from metahpo.suites import run_suite
    spec = json.loads((ROOT / 'results/rf-wide/suite.json').read_text())
    run_suite('rf-wide', out, seeds=[0], tuners=TUNERS, tasks=tasks.split(','), members=spec['members'], meta_steps=spec['meta_steps'],
              n_warm=spec['n_warm'], budget=spec['budget'], progress=False, protocol='loto')

def _at(d, k): return d[d.k == k].set_index('task').regret

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--tasks', default=TASKS); p.add_argument('--earlier', default='9dd8f33~1', help='the commit whose run files are compared too')
    p.add_argument('--out', default='results/reproducibility/kernels.csv', help='the CSV written (relative to the repository)')
    p.add_argument('--child', help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child: return _run(a.child, a.tasks)
    from metahpo.suites import _cpu
    cpu, rows = _cpu(), []
    for name, env in SETTINGS.items():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, __file__, '--child', tmp, '--tasks', a.tasks], env={**os.environ, **env}, check=True)
            for t in TUNERS:
                new = pd.read_parquet(Path(tmp) / 'runs' / f'{t}-seed0.parquet').sort_values(KEY).reset_index(drop=True)
                path = f'results/rf-wide/runs/{t}-seed0.parquet'
                ref = {'committed': pd.read_parquet(ROOT / path),
                       'earlier': pd.read_parquet(io.BytesIO(subprocess.run(['git', 'show', f'{a.earlier}:{path}'], cwd=ROOT, capture_output=True, check=True).stdout))}
                for task, g in new.groupby('task', sort=True):
                    row = dict(setting=name, tuner=t, task=task, rows=len(g), regret_5=_at(g, 5)[task], regret_10=_at(g, 10)[task],
                               threads=os.environ.get('OMP_NUM_THREADS'), cpu=cpu['model'], vector=cpu['vector'])
                    for r, d in ref.items():  # rows matched by (task, seed, k); a row either side lacks counts as differing
                        d = d[d.task == task]
                        m = g[KEY + ['regret']].merge(d[KEY + ['regret']], on=KEY, how='outer', suffixes=('', '_ref'))
                        row[f'differ_{r}'] = int((m.regret != m.regret_ref).sum())
                        row[f'{r}_regret_5'], row[f'{r}_regret_10'] = _at(d, 5).get(task), _at(d, 10).get(task)
                    rows.append(row)
            print(name, 'done', flush=True)
    out = pd.DataFrame(rows)
    out.to_csv(ROOT / a.out, index=False, float_format='%.4f')
    print(out.groupby(['setting', 'tuner'])[['rows', 'differ_committed', 'differ_earlier']].sum().to_string())
    return 0

if __name__ == '__main__':
    sys.exit(main())
