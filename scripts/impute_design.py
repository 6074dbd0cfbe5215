"""Design study of issue 16 (tenth round), on META-TRAIN and META-VALIDATION tasks: how the past tasks speak about
configurations they never evaluated.

On lcbench and rbv2_xgboost no two tasks share a configuration: every past task scores the new task's candidates by
its own regressor, fitted once on its 100 evaluations (`metahpo.metatuner._task_model`, a 30-tree extra-trees forest),
and MetaTuner's consensus is the weighted mean of those predictions. A look at a few meta-train tasks before this
study found that forest ranking a task's held-out evaluations little better than the other tasks' consensus does
(5-fold cross-validated Spearman correlation about 0.78 on rbv2_xgboost, the consensus of the other tasks 0.79):
the sources are noisy before any weighting. On the other suites (rf-grid, rf-wide, lstm, text, image and the outside
tables) every candidate of a new task was evaluated by every past task, no regressor is used, and any variant here is
the committed MetaTuner.

1. `--rates` (META-TRAIN tasks only): every meta-train task of lcbench and rbv2_xgboost, 5-fold cross-validated
   (seeded), the median Spearman correlation of each regressor's predictions with the task's held-out evaluations:
   `et30` (committed), `et300` (300 trees, leaves of one) and `gp` (a Gaussian process, Matern 5/2 kernel with one
   length scale per parameter and a noise term, fitted by maximum likelihood on at most 500 evaluations). The
   runs use the regressor with the best mean over the two suites, if that is not the committed one
   (results/design/impute-rates.csv).
2. `<view> [variant,...]` on lcbench or rbv2_xgboost's meta-validation tasks (meta-train as experience), one seed:
   `base` (the committed MetaTuner), `nosur` (without its surrogate), `impute` and `impute-nosur` (the same with the
   chosen regressor). It never reads a meta-test task.
3. `--summary` writes results/design/impute.csv: mean regret after k, each variant minus `base`, `nosur` and
   (for `impute`) `impute-nosur`, paired 95% bootstrap intervals over tasks.

The rule, fixed before the runs (the sixth to ninth rounds'): `impute` replaces the default regressor if its interval
against `base` lies above zero on no view at any k, and below zero on at least two views after 5, 10 or 25; with two
views that is both.

By that rule `impute` was not adopted: it lowered the mean after 5 on both views, but lcbench has 7 meta-validation
tasks and no interval after 5, 10 or 25 lay below zero. In real use past studies of a continuous space never share a
configuration, so the regressor decides every consensus there; the eleventh round (written here before its runs)
tests the same `impute` against `base` on more tasks, the suites' meta-train tasks:

4. `<suite>-train` (`lcbench-train`, `rbv2_xgboost-train`): every meta-train task tuned with the other meta-train tasks
   as experience (leave one out; 13 and 67 tasks), one seed, `base` and `impute`. It never reads a meta-test task.
   The meta-train tasks also chose the regressor (by cross-validation within each task, not by tuning them).
5. `--pooled` writes results/design/impute-pooled.csv: per suite, `impute` minus `base` over the meta-validation and
   meta-train tasks together (20 and 91 tasks), and per view, with paired 95% bootstrap intervals.

The eleventh round's rule, fixed before its runs: `impute` replaces the default regressor if its pooled interval
against `base` lies below zero after 5, 10 or 25 on both suites, and no interval (pooled or of a single view, at any
k) lies above zero.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/impute_design.py --rates
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/impute_design.py <lcbench|rbv2_xgboost> [variant,...]
    python scripts/impute_design.py --summary
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/impute_design.py <lcbench-train|rbv2_xgboost-train> base,impute
    python scripts/impute_design.py --pooled
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from scipy.stats import spearmanr
from metahpo.core import make_rng
from metahpo.metatuner import MetaTuner, PastConsensus, _task_model, _extra_trees
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
from meta_val_design import meta_val_setup
import rank_design

OUT = ROOT / 'impute'
VIEWS = ('lcbench', 'rbv2_xgboost')
MAX_GP = 500

def _et300(X, y):
    from sklearn.ensemble import ExtraTreesRegressor
    return ExtraTreesRegressor(n_estimators=300, min_samples_leaf=1, random_state=0, n_jobs=1).fit(X, y)

def _gp(X, y):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
    if len(y) > MAX_GP:
        keep = make_rng(0).choice(len(y), MAX_GP, replace=False); X, y = X[keep], y[keep]
    k = ConstantKernel() * Matern(nu=2.5, length_scale=np.ones(X.shape[1]), length_scale_bounds=(1e-2, 1e2)) + WhiteKernel()
    return GaussianProcessRegressor(k, normalize_y=True, random_state=0).fit(X, y)

FITS = {'et30': _extra_trees, 'et300': _et300, 'gp': _gp}  # et30: the committed regressor
CHOSEN = 'gp'  # set from `--rates` (meta-train tasks only) before any view ran: see results/design/impute-rates.csv

def regressor(name):
    "A past task -> its fitted regressor of standardised scores on encoded configurations, made once per task."
    if name == 'et30': return _task_model
    return lambda e: e.derived(f'impute-design.{name}', lambda: FITS[name](e.X, e.scores))

class Imputed(MetaTuner):
    "The committed MetaTuner whose past tasks score configurations they did not evaluate with the chosen regressor."
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.past: self.consensus = PastConsensus(self.space, self.past, self._prior, regressor=regressor(CHOSEN))

VARIANTS = {'base': dict(n_warm=3), 'nosur': dict(n_warm=3, parts=('warm-start', 'consensus')),
            'impute': dict(cls=Imputed, n_warm=3), 'impute-nosur': dict(cls=Imputed, n_warm=3, parts=('warm-start', 'consensus'))}

def rates(suites=VIEWS, folds=5):
    "Every meta-train task of each suite, `folds`-fold cross-validated: the median Spearman correlation of each regressor's predictions with the held-out evaluations."
    from sklearn.model_selection import KFold
    rows = []
    for s in suites:
        _, _, past, _ = meta_val_setup(s)
        got = {n: [] for n in FITS}
        for e in past:
            if len(e) < 2 * folds: continue
            pred = {n: np.zeros(len(e)) for n in FITS}
            for tr, te in KFold(folds, shuffle=True, random_state=0).split(e.X):
                for n, fit in FITS.items(): pred[n][te] = fit(e.X[tr], e.scores[tr]).predict(e.X[te])
            for n in FITS: got[n].append(spearmanr(pred[n], e.scores).statistic)
        for n, v in got.items(): rows.append(dict(suite=s, regressor=n, n_tasks=len(v), spearman=float(np.nanmedian(v))))
        print(s, {n: round(float(np.nanmedian(v)), 3) for n, v in got.items()}, flush=True)
    return rank_design.spearman_table(rows, ROOT / 'impute-rates.csv', 'regressor')

def pooled(ks=(1, 3, 5, 10, 25), folder=OUT, variant='impute', csv=ROOT / 'impute-pooled.csv'):
    "`variant` minus `base` (run files in `folder`) per suite over its meta-validation and meta-train views together, and per view, with paired 95% intervals over tasks, written to `csv`."
    from metahpo.benchmark import paired_differences, task_regret
    from functools import partial
    paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
    rows = []
    for s in VIEWS:
        views = {v: pd.concat([pd.read_parquet(folder / v / f'{n}.parquet') for n in ('base', variant)]) for v in (s, f'{s}-train') if (folder / v / f'{variant}.parquet').exists()}
        if not views: continue
        for view, r in [*views.items(), ('pooled', pd.concat(views.values()))]:
            p = paired_differences(r, variant, ks=ks)
            for k in ks:
                m, q = task_regret(r, k).mean(), p[(p.k == k) & (p.other == 'base')].iloc[0]
                rows.append(dict(suite=s, view=view if view == 'pooled' else ('meta-val' if view == s else 'meta-train'), k=k, n_tasks=r.task.nunique(),
                                 base=m['base'], **{variant: m[variant]}, diff=q['diff'], lo=q.lo, hi=q.hi))
    out = pd.DataFrame(rows); out.to_csv(csv, index=False, float_format='%.5f')
    print(out.round(4).to_string())
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--rates': rates(); sys.exit()
    if sys.argv[1] == '--summary':
        rank_design.summary(folder=OUT, csv=ROOT / 'impute.csv', refs=lambda v: ('base', 'nosur') + (('impute-nosur',) if v == 'impute' else ())); sys.exit()
    if sys.argv[1] == '--pooled': pooled(); sys.exit()
    if sys.argv[1] not in VIEWS + tuple(f'{v}-train' for v in VIEWS):
        sys.exit(f"view {sys.argv[1]!r} is not allowed: the regressor matters on {', '.join(VIEWS)} (and their '-train' views) only")
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
