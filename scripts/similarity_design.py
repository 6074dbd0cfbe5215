"""Design study of issue 16 (fifth round), on META-TRAIN and META-VALIDATION tasks only: which past tasks count as
similar. Replayed offline on the suites' recorded grids (no tuner run, no training), as scripts/warm_start_offline.py.

MetaTuner weighs each past task by a Gaussian kernel of its z-scored, Euclidean meta-feature distance to the new task;
every meta-feature counts as much as any other, whether or not it says anything about which configurations do well.
On tasks it was not designed on, equal weights (zero-shot) and auto-sklearn's nearest neighbours (min-max scaled, L1)
do as well or better. Here the distance is *learned from the past tasks*: for every pair of past tasks, how much of
one's regret the other's best configuration leaves (the transfer regret, symmetrised) is regressed on the per-feature
absolute differences of their z-scored meta-features by non-negative least squares with an intercept. Features that
do not predict transfer get weight zero; when none does, every distance is zero and the weights are equal (zero-shot's
coverage of every past task). The learned distance replaces the Euclidean one inside the same kernel (as wide as the
median distance). Variants (each the first `K` warm-start proposals, read against the tuned task's recorded grid):

- `ours`: the committed warm start (z-scored, Euclidean, Gaussian kernel, greedy min-max regret portfolio).
- `equal`: the same portfolio with every past task weighted equally.
- `zero-shot`: Syne Tune's rank portfolio, every past task equal (as scripts/warm_start_offline.py).
- `minmax-l1`: the distance of auto-sklearn's nearest neighbours (min-max scaled, L1) inside our kernel.
- `learned`: the learned distance (fit on the past tasks only; the tuned task never enters the fit).
- `nn`: auto-sklearn's warm start: the best configuration of each past task, nearest first (min-max scaled, L1).
- `nn1`: the nearest past task's best configuration first, then our portfolio continued from it.
- `gated`: our weights when the new task is as close to its nearest past task as past tasks typically are to
  theirs (squared distance at most the median over past tasks of their nearest-neighbour squared distance), else
  equal weights: similarity counts only where a past task is a near sibling (PMLB holds families of near-identical
  tables, which flatter similarity on its own tasks).

Views, all outside meta-test: `meta-val` (each meta-validation task, the meta-train tasks as experience) and
`train-loo` (each meta-train task, the other meta-train tasks as experience and as the metric's training pairs);
`pooled` rows pool the tasks of every suite in a view. Once the outside tables exist (scripts/outside_tasks.py),
rf-grid also has the view `outside` (each outside table, rf-grid's meta-train and meta-validation tasks as
experience). Rules, each fixed before its view's results: a variant is adopted if its pooled interval against `ours`
lies below zero after some k up to 10 in both `meta-val` and `train-loo` and above zero after none; or, with the
outside view, if it lies below zero there after some k up to 10 and above zero in no view (pooled) after any k up to 10. Writes results/design/similarity.csv: mean regret after k,
each variant minus `ours` with a paired 95% bootstrap interval over tasks (negative: the variant lower).

It also measures how much of the random-forest suites' regret scale is cross-validation noise (meta-train and
meta-validation tasks only), into results/design/noise-floor.csv: per task, the standard error of one recorded score
(rf-grid: from its two CV repeats, SE = sd(repeat0 - repeat1) / 2; rf-wide: the folds' standard deviation over the
square root of the number of folds), the gap of two standard errors of a difference (2 * sqrt(2) * SE) in normalised
regret units (divided by the grid's range), and how many recorded points lie within that gap of the task's best.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/similarity_design.py
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, numpy as np, pandas as pd, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
from metahpo.metatuner import MetaTuner, score_matrix, transfer_metric, greedy_portfolio
from metahpo.peer_base import nearest_tasks
from metahpo.benchmark import paired_differences
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import meta_val_setup
from warm_start_offline import rank_greedy, regrets, K

SUITES = ('rf-grid', 'rf-wide', 'lstm', 'text', 'image')
OUT = Path(__file__).resolve().parents[1] / 'results' / 'design' / 'similarity.csv'

def kernel(d2):
    "Our kernel on squared distances: as wide as the median (equal weights when every distance is zero)."
    h2 = np.median(d2)
    return np.exp(-d2 / (2 * h2)) if h2 > 0 else np.ones(len(d2))

def minmax(Z_raw, z_raw):
    lo, hi = np.nanmin(Z_raw, 0), np.nanmax(Z_raw, 0); sc = np.where(hi > lo, hi - lo, 1.0)
    return np.nan_to_num((Z_raw - lo) / sc), np.nan_to_num((z_raw - lo) / sc)

def proposals(variant, tuner, S, configs, mf_new):
    "The first K proposals of a variant for the task `tuner` was made for."
    space, past, Z, z = tuner.space, tuner.past, tuner._Z, tuner._z
    n = len(past); near = np.arange(n)
    if variant == 'ours': return tuner._queue
    if variant == 'zero-shot':
        ok = (~np.isnan(S)).mean(0) >= 0.5
        idx = np.flatnonzero(ok)
        return [configs[idx[j]] for j in rank_greedy(S[:, ok], K)]
    if variant == 'equal': w = np.ones(n)
    elif variant == 'minmax-l1':
        cols = list(tuner._mu.index)
        Zr = pd.DataFrame([e.task.meta_features for e in past]).reindex(columns=cols).astype(float).to_numpy()
        zr = pd.Series(mf_new, dtype=float).reindex(cols).to_numpy()
        A, a = minmax(Zr, zr); w = kernel(np.abs(A - a).sum(1) ** 2)
    elif variant in ('nn', 'nn1'):
        order = nearest_tasks(past, mf_new, 'minmax', 'l1')  # as the nearest-neighbour peer orders them
        best = [int(np.nanargmax(S[i])) for i in order]
        if variant == 'nn': return [configs[j] for j in dict.fromkeys(best)][:K]
        return [configs[j] for j in greedy_portfolio(S, K, tuner._prior, chosen=[best[0]])]
    elif variant == 'gated':
        d2 = ((Z - z) ** 2).sum(1) if Z.shape[1] else np.zeros(n)
        P = ((Z[:, None] - Z[None]) ** 2).sum(-1); np.fill_diagonal(P, np.inf)
        w = tuner._prior if d2.min() <= np.median(P.min(1)) else np.ones(n)
    elif variant == 'learned':
        wf = transfer_metric(Z, S)  # the metric MetaTuner(similarity='learned') uses; None: nothing to learn from, Euclidean as MetaTuner falls back
        w = tuner._prior if wf is None else kernel((np.abs(Z - z) @ wf) ** 2)
    else: raise ValueError(variant)
    return tuner.warm.propose(space, past, w, near, True)

VARIANTS = ('ours', 'equal', 'zero-shot', 'minmax-l1', 'learned', 'nn', 'nn1', 'gated')

def outside_view():
    "rf-grid's outside tasks and the meta-train and meta-validation tasks they learn from (scripts/outside_tasks.py); None before they are built."
    from outside_tasks import OUT as OUTSIDE, setup
    if not (OUTSIDE / 'evaluations.parquet').exists(): return None
    _, past, out = setup(None)
    return out, past

def replay(suite, variants=VARIANTS, propose=None):
    "Every variant's first K proposals on each task of every view, as regrets; `propose(variant, tuner, S, configs, meta_features)` defaults to this study's."
    propose = propose or proposals
    ex, tuned, past, mf = meta_val_setup(suite)
    by = {e.task.name: e for e in ex}
    views = {'meta-val': (tuned, past), 'train-loo': ([e.task.name for e in past], past)}
    if suite == 'rf-grid' and (o := outside_view()) is not None:
        out, learn = o; by.update({e.task.name: e for e in out}); mf.update({e.task.name: e.task.meta_features for e in out})
        views['outside'] = (out.task_names, learn)
    rows = []
    for view, (tasks, experience) in views.items():
        for t in tasks:
            tu = MetaTuner(by[t].space, 0, experience=experience, meta_features=mf[t], task=t, n_warm=K)
            S, configs = score_matrix(tu.space, tu.past)
            for v in variants:
                picks = propose(v, tu, S, configs, mf[t])
                rows += [dict(suite=suite, view=view, tuner=v, task=f'{suite}/{t}', seed=0, k=k, regret=r)
                         for k, r in enumerate(regrets(by[t], picks), 1)]
    return pd.DataFrame(rows)

def summarise(res):
    out = []
    groups = list(res.groupby(['suite', 'view'])) + [(('pooled', v), r) for v, r in res.groupby('view')]
    for (suite, view), r in groups:
        mean = r.groupby(['tuner', 'k']).regret.mean()
        p = paired_differences(r, tuner='ours', ks=range(1, K + 1)).set_index(['other', 'k'])
        for (tuner, k), m in mean.items():
            d = p.loc[(tuner, k)] if tuner != 'ours' else None
            out.append(dict(suite=suite, view=view, variant=tuner, k=k, n_tasks=r.task.nunique(), regret=m,
                            vs_ours=None if d is None else -d['diff'], vs_ours_lo=None if d is None else -d['hi'],
                            vs_ours_hi=None if d is None else -d['lo']))
    return pd.DataFrame(out).round(5)

def write_and_show(t, out):
    "Write a summary to `out` and print its mean regrets and its intervals against `ours` after 1, 3, 5 and 10."
    out.parent.mkdir(parents=True, exist_ok=True); t.to_csv(out, index=False)
    show = t[t.k.isin([1, 3, 5, 10])]
    print(show.pivot_table(index=['suite', 'view', 'variant'], columns='k', values='regret').round(4).to_string())
    d = show[show.variant != 'ours'].assign(ci=lambda x: x.vs_ours.map('{:+.3f}'.format) + ' [' + x.vs_ours_lo.map('{:+.3f}'.format) + ',' + x.vs_ours_hi.map('{:+.3f}'.format) + ']')
    print(d.pivot_table(index=['suite', 'view', 'variant'], columns='k', values='ci', aggfunc='first').to_string())
    print(f'wrote {out}')

NOISE = OUT.parent / 'noise-floor.csv'

def noise_floor(suite):
    "Per meta-train and meta-validation task: one score's standard error, the two-SE gap of a difference as normalised regret, and the points within it."
    ex, tuned, past, mf = meta_val_setup(suite)
    rows = []
    for e in ex:
        if e.task.name not in tuned and e.task.name not in past.task_names: continue
        m, metric = e.metrics, e.metric
        if f'{metric}_repeat0' in m: se = np.std(m[f'{metric}_repeat0'] - m[f'{metric}_repeat1'], ddof=1) / 2
        else: se = float(np.median(m[f'{metric}_std'] / np.sqrt(m['n_folds'])))
        vals = np.asarray(e.values, float); gap = 2 * np.sqrt(2) * se; span = np.ptp(vals)
        best = vals.max() if e.direction == 'maximize' else vals.min()
        within = (vals >= best - gap) if e.direction == 'maximize' else (vals <= best + gap)
        rows.append(dict(suite=suite, task=e.task.name, part='meta-val' if e.task.name in tuned else 'meta-train', metric=metric,
                         se=se, gap_regret=min(1.0, gap / span) if span > 0 else 1.0, points=len(vals), within=int(within.sum())))
    return pd.DataFrame(rows)

if __name__ == '__main__':
    nf = pd.concat([noise_floor(s) for s in ('rf-grid', 'rf-wide')]); nf.round(5).to_csv(NOISE, index=False)
    print(nf.groupby('suite').agg(tasks=('task', 'size'), gap_regret_median=('gap_regret', 'median'),
                                  gap_regret_q25=('gap_regret', lambda x: x.quantile(.25)), within_median=('within', 'median'),
                                  points=('points', 'median')).round(3).to_string())
    res = pd.concat([replay(s) for s in SUITES])
    write_and_show(summarise(res), OUT)
    print(f'wrote {NOISE}')
