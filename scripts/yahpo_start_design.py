"""Design study of issue 16 (sixteenth round), on META-TRAIN and META-VALIDATION tasks: MetaTuner's first proposals
on the YAHPO suites, where it is behind zero-shot.

On lcbench and rbv2_xgboost no two past tasks share a configuration and there are no meta-features, so MetaTuner has
no warm start: for its first three trials its consensus covers the past tasks, each scoring the new task's
candidates by its own extra-trees regressor (min-max scaled, every task equal: `greedy_portfolio`). Zero-shot (Syne
Tune's) does the same with two differences: each past task's regressor is XGBoost, and the portfolio is greedy over
per-task *ranks*. The hindsight study (design views) has every MetaTuner of the rounds behind zero-shot after one
evaluation on both YAHPO suites' meta-validation tasks (lcbench 0.137 against 0.118 at best; rbv2_xgboost 0.093
against 0.072, interval -0.001 to +0.058), and intervals *above* zero after 3 for 8 of 43 MetaTuners on rbv2_xgboost:
the start loses what the adaptive trials after it win back. Every earlier round changed what comes after the start
on these suites, or covered longer (the fourteenth); none changed how the start is chosen.

1. `--offline` (no tuner run, nothing trained but the past tasks' regressors): the first five picks of four starts,
   read as the benchmark reads them (normalised regret of the recorded values) on each task's 100 tabulated
   candidates, on both views of each suite: `train-loo` (each meta-train task, the
   other meta-train tasks as experience) and `meta-val` (each meta-validation task, meta-train as experience).
   `cover-et` is MetaTuner's (extra-trees, min-max scaled); `rank-et` ranks instead; `cover-xgb` and `rank-xgb` score by
   XGBoost (Syne Tune's zero-shot regressor, on MetaTuner's encoding of the configurations). Writes
   results/design/yahpo-start-offline.csv: mean regret after k, and each start minus `cover-et` with paired 95%
   bootstrap intervals over tasks.
   **Choice, fixed before the offline run:** the start run as a whole tuner is the one of `rank-et`, `cover-xgb`,
   `rank-xgb` with the lowest mean regret after 3, averaged over the two suites' `train-loo` views (the meta-validation
   views are printed beside it, not used for the choice).
2. The chosen start as MetaTuner's (`start`: its first three proposals where past tasks share no configuration, then
   the consensus and the surrogate as committed), against `base` (the committed MetaTuner, run again beside it), on
   each suite's meta-validation tasks and its meta-train tasks (`<suite>-train`: 13 and 67 tasks); one seed.
   **Rule, fixed before the runs (the eleventh and fourteenth rounds'):** `start` replaces MetaTuner's start where past
   tasks share no configuration if its pooled interval against `base` (meta-validation and meta-train tasks together)
   lies below zero after 5, 10 or 25 on both suites, and no interval (pooled or of a single view, at any k) lies above
   zero.

It never reads a meta-test task. Its runs (and the offline table) were made before the suites left out the tasks
without a usable AUC (`metahpo.suites.unusable`, the same day): rbv2_xgboost's meta-train view then held 67 tasks,
`42` and `181` among them (as tuned tasks and as experience); run again, it holds 65.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/yahpo_start_design.py --offline
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/yahpo_start_design.py <lcbench|rbv2_xgboost>[-train] [variant,...]
    python scripts/yahpo_start_design.py --pooled      # results/design/yahpo-start-pooled.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.metatuner import MetaTuner, greedy_portfolio, _task_model
from metahpo.benchmark import paired_differences, normalized_regret
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
from meta_val_design import meta_val_setup
from warm_start_offline import rank_greedy
import rank_design, impute_design

OUT = ROOT / 'yahpo-start'
VIEWS = ('lcbench', 'rbv2_xgboost')
N_START, K = 3, 5

def _xgb(e):
    "XGBoost on one past task's encoded configurations and scores (Syne Tune's zero-shot regressor), fitted once per task."
    from xgboost import XGBRegressor
    return e.derived('yahpo-start.xgboost', lambda: XGBRegressor(n_jobs=1, random_state=0).fit(e.X, e.scores))

REGRESSORS = {'et': _task_model, 'xgb': _xgb}
STARTS = {'cover-et': ('cover', 'et'), 'rank-et': ('rank', 'et'), 'cover-xgb': ('cover', 'xgb'), 'rank-xgb': ('rank', 'xgb')}

def picks(past, X, how, reg, n) -> list[int]:
    "Indices of the first `n` picks among encoded candidates X: every past task scores them by its regressor, then a greedy portfolio of min-max-scaled scores ('cover') or of ranks ('rank'), every task equal."
    S = np.stack([REGRESSORS[reg](p).predict(X) for p in past])
    return (greedy_portfolio if how == 'cover' else rank_greedy)(S, n)

def start(past, e, how, reg, n=K) -> list[dict]:
    "The first `n` picks among task `e`'s candidates (`picks`)."
    return [e.configs[j] for j in picks(past, e.X, how, reg, n)]

def regrets(e, picks) -> list[float]:
    "The benchmark's normalised regret (on the task's recorded values) of the best of the first 1, 2, ... picks."
    v = {e.space.key(c): x for c, x in zip(e.configs, e.values)}
    best = np.array([v[e.space.key(c)] for c in picks])
    return list(normalized_regret(e, np.maximum.accumulate(best) if e.direction == 'maximize' else np.minimum.accumulate(best)))

def offline() -> pd.DataFrame:
    rows = []
    for s in VIEWS:
        ex, tuned, past, _ = meta_val_setup(s)
        by = {e.task.name: e for e in ex}
        for view, tasks in {'train-loo': past.task_names, 'meta-val': tuned}.items():
            for t in tasks:
                others = [e for e in past if e.task.name != t]
                for name, (how, reg) in STARTS.items():
                    rows += [dict(suite=s, view=view, tuner=name, task=t, seed=0, k=k, regret=r)
                             for k, r in enumerate(regrets(by[t], start(others, by[t], how, reg)), 1)]
    res, out = pd.DataFrame(rows), []
    for (s, view), r in res.groupby(['suite', 'view']):
        mean = r.groupby(['tuner', 'k']).regret.mean()
        p = paired_differences(r, tuner='cover-et', ks=range(1, K + 1)).set_index(['other', 'k'])
        for (tuner, k), m in mean.items():
            d = p.loc[(tuner, k)] if tuner != 'cover-et' else None  # cover-et minus the start: flipped below
            out.append(dict(suite=s, view=view, start=tuner, k=k, n_tasks=r.task.nunique(), regret=m,
                            vs_cover_et=None if d is None else -d['diff'], lo=None if d is None else -d['hi'], hi=None if d is None else -d['lo']))
    t = pd.DataFrame(out); t.to_csv(ROOT / 'yahpo-start-offline.csv', index=False, float_format='%.5f')
    print(t.pivot_table(index=['suite', 'view', 'start'], columns='k', values='regret').round(4).to_string())
    choice = t[(t.view == 'train-loo') & (t.k == N_START) & (t.start != 'cover-et')].groupby('start').regret.mean()
    print('mean regret after 3 over the train-loo views:', choice.round(4).to_dict(), '-> chosen:', choice.idxmin())
    return t

CHOSEN = 'rank-et'  # the offline run's choice by the rule above (train-loo views, mean after 3), set before any tuner run

class ChosenStart(MetaTuner):
    "The committed MetaTuner whose first proposals, where the past tasks share no configuration, are the chosen start's (`START`)."
    START = CHOSEN
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.past and not self._queue and 'warm-start' in self.parts:
            pool = self._pool()
            self._queue = [pool[j] for j in picks(self.past, self._pool_X, *STARTS[self.START], N_START)]

VARIANTS = {'base': dict(n_warm=3), 'start': dict(cls=ChosenStart, n_warm=3)}

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--offline': offline(); sys.exit()
    if sys.argv[1] == '--pooled':
        impute_design.pooled(folder=OUT, variant='start', csv=ROOT / 'yahpo-start-pooled.csv'); sys.exit()
    _args.view(sys.argv[1], [*VIEWS, *(f'{v}-train' for v in VIEWS)])
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
