"""How often does MetaTuner's surrogate decide? A measurement for issue 16 on DESIGN VIEWS only (it decides nothing;
no tuner changes by it).

The issue found that the Reptile/FO-MAML surrogate "changes no decision". After its warm start MetaTuner proposes
the pool candidate with the best mix of two experts, the past tasks' consensus and the surrogate adapted to this
task's trials, the surrogate's share set by how well each ranks the trials so far (`MetaTuner._pick`). This script
runs the committed MetaTuner (three warm-start picks, the default Reptile surrogate, seed 0: its decisions on a
finite candidate set do not depend on the seed) on the design views the rounds used (each suite's meta-validation
tasks with its meta-train tasks as experience, and the outside tables with rf-grid's meta-train and meta-validation
tasks), checks that every run is the committed MetaTuner's run of the latest round that ran it there (the best value
after each evaluation equal to `base` of results/design/none/<view>/, or of results/design/yahpo-xgb-start/<view>/ on
lcbench and rbv2_xgboost), and reads `MetaTuner.proposals()`: for each evaluation, what proposed it, the surrogate's
share of the score, and whether the consensus alone would have proposed the same configuration.

Writes results/design/surrogate-decisions.csv, per view and window of evaluations (4-5, 6-10, 11-25; the first three
are the warm start's, or the consensus's alone where no warm start applies): the asks in the window, those where the
surrogate was mixed in, the median and the largest share it had there, how many gave it a share above zero, how
many picks differed from the consensus's own, and of those how many were better and how many worse than the
consensus's own pick at that step (each configuration's true normalised regret on the task: a one-step comparison
on the run as it went, not a run without the surrogate) with the mean change of that regret; and, per view, on how
many tasks some pick up to evaluation 5 and 10 differed (where the surrogate changed the course of the run at all).
It tunes and reads no meta-test task.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/surrogate_decisions.py [view,...]   # default: all eight
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).resolve().parent))
import _args
from cover_design import ROOT, SUITES, setup, factory
from metahpo.benchmark import normalized_regret, run_benchmark
from metahpo.metatuner import MetaTuner

WINDOWS = ((4, 5), (6, 10), (11, 25))
COMMITTED = {v: ROOT / ('yahpo-xgb-start' if v in ('lcbench', 'rbv2_xgboost') else 'none') / v / 'base.parquet' for v in SUITES}

def run(view:str) -> tuple[pd.DataFrame, pd.DataFrame]:
    "The committed MetaTuner on `view`: its benchmark rows and every proposal (task, k, origin, share, consensus_alone_same)."
    ex, tuned, past, mf, budget = setup(view)
    made, tuners = factory(MetaTuner, mf, n_warm=3), {}
    def keep(space, seed, rest, task):
        tuners[task] = t = made(space, seed, rest, task); return t
    res = run_benchmark(ex, {'base': keep}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
    frames = []
    for n, t in tuners.items():
        e = next(x for x in ex if x.task.name == n)
        value = dict(zip(map(e.space.key, e.configs), e.values))  # once per task
        regret = lambda cs: normalized_regret(e, np.array([np.nan if c is None else value[e.space.key(c)] for c in cs]))  # the benchmark's, of single configurations
        p = t.proposals().assign(task=n, k=lambda d: np.arange(1, len(d) + 1))
        p['regret_pick'] = regret(p.config)
        p['regret_alone'] = np.where(p.consensus_alone.isna(), np.nan, regret(p.consensus_alone))
        frames.append(p.drop(columns=['config', 'consensus_alone']))
    return res, pd.concat(frames, ignore_index=True)

def check(view:str, res:pd.DataFrame) -> str:
    "Whether the run is the committed one: the best value after each evaluation equal on every task."
    ref = pd.read_parquet(COMMITTED[view])
    a, b = (d.set_index(['task', 'k']).best.sort_index() for d in (res, ref))
    if not a.index.equals(b.index): return f"other tasks or budgets than {COMMITTED[view].relative_to(ROOT.parents[1])}"
    differ = a.ne(b)
    return 'identical' if not differ.any() else f"differs on {differ.groupby(level=0).any().sum()} of {a.index.get_level_values(0).nunique()} tasks"

def table(view:str, props:pd.DataFrame, same:str) -> list[dict]:
    rows = []
    mixed = props[props.origin == 'consensus+surrogate']
    for lo, hi in WINDOWS:
        w, m = props[props.k.between(lo, hi)], mixed[mixed.k.between(lo, hi)]
        if not len(w): continue
        rows.append(dict(view=view, window=f'{lo}-{hi}', n_tasks=props.task.nunique(), asks=len(w), mixed=len(m),
                         share_median=float(m.surrogate_share.median()) if len(m) else np.nan,
                         share_max=float(m.surrogate_share.max()) if len(m) else np.nan,
                         share_above_zero=int((m.surrogate_share > 0).sum()), pick_differs=int(len(dm := m[~m.consensus_alone_same.astype(bool)])),
                         surrogate_pick_better=int((dm.regret_pick < dm.regret_alone).sum()), surrogate_pick_worse=int((dm.regret_pick > dm.regret_alone).sum()),
                         regret_change=float((dm.regret_pick - dm.regret_alone).mean()) if len(dm) else np.nan,
                         tasks_changed_by_5=int(mixed[mixed.k <= 5].groupby('task').consensus_alone_same.apply(lambda s: (~s.astype(bool)).any()).sum()),
                         tasks_changed_by_10=int(mixed[mixed.k <= 10].groupby('task').consensus_alone_same.apply(lambda s: (~s.astype(bool)).any()).sum()),
                         committed_run=same))
    return rows

if __name__ == '__main__':
    views = [_args.view(v, SUITES) for v in sys.argv[1].split(',')] if len(sys.argv) > 1 else list(SUITES)
    out = ROOT / 'surrogate-decisions.csv'
    old = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=['view'])
    rows = [r for r in old.to_dict('records') if r['view'] not in views]
    for v in views:
        t0 = time.time(); res, props = run(v); same = check(v, res)
        rows += table(v, props, same)
        print(f"{v}: {props.task.nunique()} tasks, {time.time() - t0:.0f} s; committed run: {same}", flush=True)
    d = pd.DataFrame(rows)
    d = d.assign(view=pd.Categorical(d.view, SUITES, ordered=True)).sort_values(['view', 'window'], key=lambda s: s if s.name == 'view' else s.str.split('-').str[0].astype(int))
    d.to_csv(out, index=False, float_format='%.4f'); print(d.round(3).to_string(index=False))
