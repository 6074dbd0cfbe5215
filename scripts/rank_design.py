"""Design study of issue 16 (seventh round), on META-VALIDATION tasks and tasks from OUTSIDE the project: a surrogate
meta-trained with a ranking loss.

MetaTuner's surrogate is meta-trained (Reptile) and adapted with the mean squared error on standardised scores. After
the warm start it is mixed with the past tasks' consensus by how well each ranks this task's trials, and on every
suite it changes almost no decision (`meta` minus `meta-past` is zero at most k). Ranking-loss surrogates (deep
ranking ensembles, Khazi et al. 2023) lead HPO-B: what carries from task to task is the order of configurations, not
their scores. `rank` is the committed MetaTuner whose surrogate is meta-trained and adapted with a pairwise logistic
(RankNet) loss (`MetaSurrogate(loss='rank')`, the same network, steps and rates); `rank-fomaml` meta-trains it with
first-order MAML, `rank-none` not at all (fitted on the target's own trials only). `nosur` is MetaTuner without its
surrogate (warm start and consensus): the comparison of the issue's surrogate target. `base` is the committed MetaTuner
(its runs are those of the sixth round, results/design/cover/<view>/base.parquet, rerun here on lcbench to check they
still hold).

Views: each suite's meta-validation tasks with its meta-train tasks as experience, and rf-grid's outside tasks
(scripts/outside_tasks.py) with rf-grid's meta-train and meta-validation tasks as experience; one seed (MetaTuner's runs
on finite candidate sets do not depend on it). It never reads a meta-test task. The rule, fixed before the runs:
`rank` replaces the default surrogate if its interval against `base` lies above zero on no view at any k, and below
zero on at least two views after 5, 10 or 25 (the sixth round's rule). `--summary` writes results/design/rank.csv: mean
regret after k per variant, each variant minus `base` and minus `nosur`, with paired 95% bootstrap intervals over tasks.

Before the runs, `--rates` checked the ranking surrogate's learning rate on META-TRAIN tasks only (a fifth of each
suite's meta-train tasks held out, seeded): the median Spearman correlation with a held-out task's other trials before
and after adapting to five of them, for the squared error and for the ranking loss at inner and adaptation rates 0.05
(the squared error's), 0.2 and 0.5 (results/design/rank-rates.csv). The variants keep 0.05: pooled over the suites no
other rate ranked better after five trials.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/rank_design.py --rates
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/rank_design.py <suite|outside> [variant,...]
    python scripts/rank_design.py --summary
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from scipy.stats import spearmanr
from metahpo.core import make_rng
from metahpo.metatuner import MetaTuner, default_surrogate
from metahpo.benchmark import run_benchmark, paired_differences, task_regret
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import setup, factory, ROOT, SUITES
from meta_val_design import meta_val_setup

OUT = ROOT / 'rank'
VARIANTS = {'base': {}, 'nosur': dict(parts=('warm-start', 'consensus')),
            'rank': dict(new_surrogate=lambda: default_surrogate('reptile', seed=0, loss='rank')),
            'rank-fomaml': dict(new_surrogate=lambda: default_surrogate('fomaml', seed=0, loss='rank')),
            'rank-none': dict(new_surrogate=lambda: default_surrogate('none', seed=0, loss='rank'))}

def run(view, names, folder=None, variants=None,
        seeds=None, # variant -> its seeds (default [0] each: MetaTuner's runs on finite candidate sets do not depend on it)
        setup_view=None): # view -> (experience, tuned tasks, past, meta-features, budget); default `cover_design.setup`
    "Run the named variants (of `variants`, default this round's: keyword arguments of MetaTuner, or of the class under 'cls') on `view` into `folder` (default this round's), skipping finished ones."
    ex, tuned, past, mf, budget = (setup_view or setup)(view)
    d = (folder or OUT) / view; d.mkdir(parents=True, exist_ok=True)
    for n in names:
        f = d / f'{n}.parquet'
        if f.exists(): continue
        t0 = time.time()
        kw = dict((variants or VARIANTS)[n])
        r = run_benchmark(ex, {n: factory(kw.pop('cls', MetaTuner), mf, **kw)}, budget=budget, seeds=(seeds or {}).get(n, [0]), tasks=tuned, past=past, progress=False)
        r.to_parquet(f); print(view, n, f'{time.time() - t0:.0f}s', flush=True)

def runs(view, folder=None) -> pd.DataFrame:
    "Every variant's runs on `view` (in `folder`, default this round's); `base` from that folder if run there, else the sixth round's."
    fs = {f.stem: f for f in sorted(((folder or OUT) / view).glob('*.parquet'))}
    fs.setdefault('base', ROOT / 'cover' / view / 'base.parquet')
    return pd.concat([pd.read_parquet(f) for f in fs.values()])

def summary(ks=(1, 3, 5, 10, 25), folder=None, csv=ROOT / 'rank.csv', refs=lambda variant: ('base', 'nosur'), views=SUITES):
    "Mean regret after k per variant of a round (`folder`, default this one's) on `views`, each minus the variants `refs(variant)` names (default `base` and `nosur`) with paired 95% intervals over tasks, written to `csv`."
    rows, folder = [], folder or OUT
    for view in [v for v in views if (folder / v).exists()]:
        res = runs(view, folder)
        for v in sorted(set(res.tuner)):
            for ref in refs(v):
                if v == ref or ref not in set(res.tuner): continue
                r = res[res.tuner.isin([ref, v])]
                p = paired_differences(r, v, ks=ks)
                for k in ks:
                    m = task_regret(r, k).mean()
                    q = p[(p.k == k) & (p.other == ref)].iloc[0]
                    rows.append(dict(view=view, variant=v, against=ref, k=k, n_tasks=r.task.nunique(), reference=m[ref], regret=m[v],
                                     diff=q['diff'], lo=q.lo, hi=q.hi))
    out = pd.DataFrame(rows); out.to_csv(csv, index=False, float_format='%.5f')
    print(out.round(4).to_string())
    return out

def spearman_table(rows, csv, column) -> pd.DataFrame:
    "A rates check's rows (suite, `column`, spearman) written to `csv`, and printed with the suites side by side and their mean."
    out = pd.DataFrame(rows); out.to_csv(csv, index=False, float_format='%.4f')
    print(out.pivot(index=column, columns='suite', values='spearman').assign(mean=lambda d: d.mean(1)).round(3).to_string())
    return out

def rates(suites=('rf-grid', 'rf-wide', 'lcbench', 'rbv2_xgboost'), n_observed=5):
    "On each suite's meta-train tasks: fit on four fifths, and on the held-out fifth the median Spearman correlation with the other trials, before and after adapting to `n_observed`."
    rows = []
    for s in suites:
        _, _, past, _ = meta_val_setup(s)
        tasks = MetaTuner(next(iter(past)).space, 0, experience=past).past_tasks()
        held = set(make_rng(11).choice(len(tasks), size=max(3, len(tasks) // 5), replace=False).tolist())
        train, test = [t for i, t in enumerate(tasks) if i not in held], [tasks[i] for i in sorted(held)]
        for loss, lr in (('mse', 0.05), ('rank', 0.05), ('rank', 0.2), ('rank', 0.5)):
            sur = default_surrogate(seed=0, loss=loss); sur.inner_lr = sur.adapt_lr = lr
            sur.fit(train); before, after = [], []
            for t in test:
                obs = make_rng(5).choice(len(t.y), n_observed, replace=False); rest = np.setdiff1d(np.arange(len(t.y)), obs)
                before.append(spearmanr(sur.adapt(t.X[:0], t.y[:0], t.z).predict(t.X[rest], t.z)[0], t.y[rest]).statistic)  # no trials: the meta-trained members
                after.append(spearmanr(sur.adapt(t.X[obs], t.y[obs], t.z).predict(t.X[rest], t.z)[0], t.y[rest]).statistic)
            rows.append(dict(suite=s, loss=loss, rate=lr, n_train=len(train), n_held=len(test),
                             spearman_before=np.nanmedian(before), spearman_after=np.nanmedian(after)))
    out = pd.DataFrame(rows); out.to_csv(ROOT / 'rank-rates.csv', index=False, float_format='%.4f')
    print(out.round(3).to_string()); print(out.groupby(['loss', 'rate'])[['spearman_before', 'spearman_after']].mean().round(3).to_string())
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary': summary(); sys.exit()
    if sys.argv[1] == '--rates': rates(); sys.exit()
    run(sys.argv[1], _args.variants(VARIANTS, [v for v in VARIANTS if v != 'base']))
