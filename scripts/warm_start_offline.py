"""Design study of issue 16 (third round), on META-TRAIN and META-VALIDATION tasks only: how MetaTuner's warm-start
portfolio is chosen, replayed offline on the random-forest suites' recorded grids (no tuner run, no training).

On rf-grid's meta-validation tasks zero-shot is ahead of MetaTuner after 5 evaluations, while MetaTuner's first
five proposals are its warm start alone. Zero-shot (Syne Tune's, after Wistuba et al. 2015) is a greedy portfolio
of per-task RANKS, every past task equal; MetaTuner's is a greedy portfolio of per-task min-max-scaled regret,
each past task weighted by its meta-feature similarity. Variants (each a list of the first `K` proposals, read
against the tuned task's recorded grid):

- `ours`: MetaTuner's warm start as committed (similarity weights, min-max regret).
- `zero-shot`: equal weights, ranks (reproduces the committed zero-shot peer's runs on the grid suites).
- `ranks`: similarity weights, ranks.
- `first2`: the first two proposals as `ours`, the rest as `zero-shot` continues from them (the nearest tasks
  decide the start; the portfolio then covers the past tasks at large, where ranks keep flat tasks from counting
  as much as the others).

Two views, both outside meta-test: `meta-val` (each meta-validation task with the meta-train tasks as experience,
as the benchmark's meta-val protocol) and `train-loo` (each meta-train task with the other meta-train tasks). It
never reads a meta-test task. Writes results/design/warm-start-offline.csv: mean regret after k per variant, and
each variant minus `ours` with a paired 95% bootstrap interval over tasks (negative: the variant lower).

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/warm_start_offline.py
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, numpy as np, pandas as pd, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import metahpo.metatuner as M
from metahpo.metatuner import MetaTuner
from metahpo.benchmark import paired_differences
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import meta_val_setup

K, SUITES = 10, ('rf-grid', 'rf-wide')
OUT = Path(__file__).resolve().parents[1] / 'results' / 'design' / 'warm-start-offline.csv'
ours = M.greedy_portfolio

def rank_greedy(scores:np.ndarray, size:int, weights=None, chosen=()) -> list[int]:
    "Greedy over per-task ranks (1 = best, ties averaged; unevaluated = last), each task's rank clipped at the best chosen; re-ranked among the rest once every task holds its best (Syne Tune's ZeroShotTransfer)."
    S, w = pd.DataFrame(-scores), np.ones(len(scores)) if weights is None else np.asarray(weights, float)
    rank = lambda cols: S[cols].rank(axis=1).fillna(len(cols)).to_numpy()
    chosen, alive = list(chosen), [j for j in range(scores.shape[1]) if j not in chosen]
    R = rank(list(range(scores.shape[1])))
    for j in chosen: R = np.minimum(R, R[:, [j]])
    while len(chosen) < min(size, scores.shape[1]):
        j = alive[int(np.argmin(w @ R[:, alive] / w.sum()))]; chosen.append(j); alive.remove(j)
        R = np.minimum(R, R[:, [j]])
        if alive and R[:, alive].std(1).sum() == 0: R[:, alive] = rank(alive)
    return chosen

VARIANTS = {'ours': ours,
            'zero-shot': lambda s, n, w=None: rank_greedy(s, n),
            'ranks': lambda s, n, w=None: rank_greedy(s, n, w),
            'first2': lambda s, n, w=None: rank_greedy(s, n, chosen=ours(s, 2, w))}

def regrets(e, picks) -> list[float]:
    "Normalised regret of the best of the first 1..K picks on the task's recorded grid."
    val = {e.space.key(c): v for c, v in zip(e.configs, e.scores)}
    best, worst, cur, out = max(e.scores), min(e.scores), -np.inf, []
    for c in picks[:K]:
        cur = max(cur, val.get(e.space.key(c), -np.inf)); out.append((best - cur) / (best - worst) if best > worst else 0.0)
    return out

def replay(suite:str) -> pd.DataFrame:
    ex, tuned, past, mf = meta_val_setup(suite)
    by = {e.task.name: e for e in ex}
    views = {'meta-val': tuned, 'train-loo': [e.task.name for e in past]}  # train-loo: the task itself is left out by name
    rows = []
    try:
        for name, f in VARIANTS.items():
            M.greedy_portfolio = f
            for view, tasks in views.items():
                for t in tasks:
                    picks = MetaTuner(by[t].space, 0, experience=past, meta_features=mf[t], task=t, n_warm=K)._queue
                    rows += [dict(suite=suite, view=view, tuner=name, task=t, seed=0, k=k, regret=r) for k, r in enumerate(regrets(by[t], picks), 1)]
    finally: M.greedy_portfolio = ours
    return pd.DataFrame(rows)

if __name__ == '__main__':
    res, out = pd.concat([replay(s) for s in SUITES]), []
    for (suite, view), r in res.groupby(['suite', 'view']):
        mean = r.groupby(['tuner', 'k']).regret.mean()
        p = paired_differences(r, tuner='ours', ks=range(1, K + 1)).set_index(['other', 'k'])
        for (tuner, k), m in mean.items():
            d = p.loc[(tuner, k)] if tuner != 'ours' else None  # ours minus the variant; flipped to variant minus ours
            out.append(dict(suite=suite, view=view, variant=tuner, k=k, n_tasks=r.task.nunique(), regret=m,
                            vs_ours=None if d is None else -d['diff'], vs_ours_lo=None if d is None else -d['hi'], vs_ours_hi=None if d is None else -d['lo']))
    t = pd.DataFrame(out).round(5); t.to_csv(OUT, index=False)
    print(t[t.k.isin([1, 2, 3, 5])].pivot_table(index=['suite', 'view', 'variant'], columns='k', values='regret').round(4).to_string())
    print(f'wrote {OUT}')
