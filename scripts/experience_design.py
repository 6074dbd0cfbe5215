"""Design study of issue 16 (twelfth round), on META-VALIDATION tasks only: how much experience MetaTuner needs, and
whether its meta-trained surrogate earns its place when experience is scarce.

Every round so far gave MetaTuner all of a suite's meta-train tasks as experience, and with that much experience the
past tasks' consensus leaves the surrogate nothing to decide (`meta` minus `meta-past` level everywhere). Issue 16
asks that the meta-trained surrogate earn its place *or that its role change*; the place a surrogate adapted to the
new task's own trials should matter is where the past says little: few past tasks. Issue 17's neural families began
with none. This study gives each meta-validation task of a view a random subset of n of the view's meta-train tasks
as experience (n = 2, 8 and 32 where the view has that many, three subsets each, seeded by view, n and subset; and
all of them, once), and runs the committed MetaTuner (`meta`), MetaTuner without its surrogate (`meta-past`) and
Syne Tune's zero-shot portfolio (`zero-shot`, the best peer on most meta-validation views), each as the suite's
roster builds it. One seed: MetaTuner's runs on finite candidate sets do not depend on it, nor do zero-shot's first
proposals. The experience-free tuners (`tpe`, `random`) are read from the suite's committed meta-validation runs
(results/<suite>/meta-val, seeds averaged). Views: rf-grid, rf-wide, lcbench, rbv2_xgboost and lstm (the text and image
grids' meta-validation tasks are at their best after 5 evaluations with every tuner, so they can show nothing). It
never reads a meta-test task.

The rule, fixed before the runs: the surrogate **earns its place at experience size n** if the interval of `meta`
minus `meta-past` (per task, the three subsets averaged; paired 95% bootstrap over the view's meta-validation tasks)
lies below zero after 5 or 10 evaluations on at least two views, and above zero on no view at any k, at that n. Where
it does, the pages say so and name that role (what adapts to the new task when experience is scarce); where it does
not, they say that too. MetaTuner is the same tuner at every n, so no default changes by this study. The runs with all
meta-train tasks repeat the ninth round's `warm3` and `warm3-nosur` (results/design/context/<view>/), a check that
they reproduce.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 python scripts/experience_design.py <view> [n,...]
    python scripts/experience_design.py --summary      # results/design/experience.csv

Run files: results/design/experience/<view>/<tuner>-n<n>-s<subset>.parquet (a finished file is skipped, so an
interrupted study resumes).

Added after the meta-validation verdict (the surrogate earns its place with two past tasks), as a report and not a
decision: `--meta-test` runs the same study on each suite's META-TEST tasks, the subsets drawn from the tasks the
meta-test learns from (meta-train and meta-validation), into results/design/experience-test/ and, with `--summary
--meta-test`, results/design/experience-test.csv. The benchmark page shows it; nothing is chosen by it. Its runs with all
of those tasks repeat the suites' committed meta-test runs of `meta`, `meta-past` and `zero-shot` (seed 0).

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 python scripts/experience_design.py <view> --meta-test
    python scripts/experience_design.py --summary --meta-test
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, time, hashlib, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.core import make_rng
from metahpo.suites import roster, get_suite
from metahpo.benchmark import run_benchmark, task_regret, experience_summary, experience_verdicts
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import setup, ROOT
from meta_val_design import meta_val_setup

VIEWS = ('rf-grid', 'rf-wide', 'lcbench', 'rbv2_xgboost', 'lstm')
SIZES, SUBSETS, TUNERS = (2, 8, 32), 3, ('meta', 'meta-past', 'zero-shot')
KS = (1, 3, 5, 10, 25)

def subsets(view:str, names:list[str], test:bool=False) -> list[tuple[str, int, list[str]]]:
    "The experience subsets of a view: (size label, subset index, past task names), every n below the number of past tasks, and all of them."
    out = []
    for n in SIZES:
        if n >= len(names): continue
        for s in range(SUBSETS):
            rng = make_rng(int.from_bytes(hashlib.sha256(f'{view}:{"test:" if test else ""}{n}:{s}'.encode()).digest()[:4], 'big'))
            out.append((str(n), s, sorted(rng.choice(sorted(names), n, replace=False).tolist())))
    return out + [('all', 0, sorted(names))]

def test_setup(view:str):
    "A suite's meta-test view: its tasks, the meta-test tasks, the tasks they learn from (meta-train and meta-validation), meta-features and budget."
    return (*meta_val_setup(view, 'meta-test'), get_suite(view).budget)

def run(view:str, only:list[str]|None=None, test:bool=False):
    ex, tuned, past, mf, budget = (test_setup if test else setup)(view)
    d = ROOT / ('experience-test' if test else 'experience') / view; d.mkdir(parents=True, exist_ok=True)
    tuners = roster(view, ex, include=list(TUNERS))
    for n, s, names in subsets(view, past.task_names, test):
        if only and n not in only: continue
        sub = past.select(exclude=set(past.task_names) - set(names))
        for t in TUNERS:
            f = d / f'{t}-n{n}-s{s}.parquet'
            if f.exists(): continue
            t0 = time.time()
            r = run_benchmark(ex, {t: tuners[t]}, budget=budget, seeds=[0], tasks=tuned, past=sub, progress=False)
            r.assign(n_past=len(names), subset=s).to_parquet(f)
            print(view, t, f'n={n}', f's={s}', f'{time.time() - t0:.0f}s', flush=True)

def _view_runs(view:str, test:bool=False) -> pd.DataFrame:
    d = ROOT / ('experience-test' if test else 'experience') / view
    return pd.concat([pd.read_parquet(f) for f in sorted(d.glob('*.parquet'))]) if d.exists() and any(d.glob('*.parquet')) else pd.DataFrame()

def summary(test:bool=False) -> pd.DataFrame:
    "Per view, n and k: mean regret of each tuner (subsets averaged per task) and of tpe and random (the suite's committed runs of the same tasks), meta minus meta-past and minus zero-shot with paired 95% intervals."
    parts = []
    for view in VIEWS:
        r = _view_runs(view, test)
        if r.empty: continue
        folder = ROOT.parent / view / ('meta-test' if test else 'meta-val') / 'runs'
        free = pd.concat([pd.read_parquet(f) for t in ('tpe', 'random') for f in sorted(folder.glob(f'{t}-seed*.parquet'))])
        f0 = {k: task_regret(free, k).mean() for k in KS}
        s = experience_summary(r, 'meta', ('meta-past', 'zero-shot'), KS, exact=test)  # meta-test: with the benchmark page's sign-flip test; the design views as the twelfth round read them
        parts.append(s.assign(view=view, tpe=[f0[k].get('tpe', np.nan) for k in s.k], random=[f0[k].get('random', np.nan) for k in s.k]))
    cols = ['view', 'n_past', 'k', 'n_tasks', 'subsets', *TUNERS, 'tpe', 'random'] + [f'vs_{o}{x}' for o in ('meta-past', 'zero-shot') for x in ('', '_lo', '_hi') + ('_p',) * test]
    out = pd.concat(parts)[cols]
    out.to_csv(ROOT / ('experience-test.csv' if test else 'experience.csv'), index=False, float_format='%.8f')  # eight decimals: an interval's end a few millionths from zero keeps its sign
    print(out.round(4).to_string())
    return out

if __name__ == '__main__':
    test, args = '--meta-test' in sys.argv, [a for a in sys.argv[1:] if a != '--meta-test']
    if not args: sys.exit(f"{sys.argv[0]}: give what to run; usage:\n{_args.usage(__doc__)}")
    if args[0] == '--summary':
        v = experience_verdicts(summary(test))
        print({n: dict(x, earns=len(x['below']) >= 2 and not x['above']) for n, x in v.items()}); sys.exit()
    run(args[0], args[1].split(',') if len(args) > 1 else None, test)
