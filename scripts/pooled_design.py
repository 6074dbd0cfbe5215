"""Design study of issue 16 (nineteenth round), on DESIGN VIEWS and META-TRAIN tasks only: pick by pooling the design
views, confirm on tasks the pick never saw.

Every round from the fifth on decided view by view (an interval below zero on two views), with 5 to 79 tasks a view:
a change worth 0.01 of normalized regret cannot show there, and the rounds' means moved by about that much in both
directions. Pooling the eight design views (each suite's meta-validation tasks and the outside tables, 211 tasks)
makes intervals about three times narrower than a view's, but picking the best of several variants on the same pooled
tasks flatters it. So this round has two stages:

1. **Pick** (`--select`, design views only, runs already committed): every variant a round ran as the committed
   MetaTuner with one change, on all eight views beside its own round's `base` (the fifteenth round's `none`, the
   seventeenth's `evidence`, the eighteenth's `nosur`, `dkgp-res`, `dkgp-fomaml-res`, `dkgp-none-res`; the thirteenth,
   fourteenth and sixteenth rounds ran on fewer views), minus its round's `base`, per task, pooled over the views: the
   mean, with a 95% bootstrap interval that resamples tasks within each view. Picked: every variant whose pooled
   interval lies below zero after 5 or 10 and above zero at no k. Written to results/design/pooled-select.csv. The pick
   was computed before this rule was written down (it reads nothing but design views); it picked `none` (after 5) and
   `dkgp-fomaml-res` (after 10), and the script asserts that it still does.
2. **Confirm** (`<suite>-train`, then `--confirm`): the two picks and `base` on every suite's meta-train tasks, each
   tuned with the suite's other meta-train tasks as experience (`<suite>-train` views: 7 suites, about 260 tasks),
   where neither pick has ever run (the eighteenth round ran `base` and `dkgp-res` on four of these views; those `base`
   runs are reused, the other views' `base` is run here). Written to results/design/pooled-confirm.csv.

The rule, fixed before any confirmation run: a pick is adopted if, pooled over the seven `-train` views, its interval
against `base` lies below zero after the k it was picked at (5 for `none`, 10 for `dkgp-fomaml-res`) and above zero
at no k (1, 3, 5, 10, 25), and on no single `-train` view its 95% paired interval lies above zero after 5 or 10. Two
picks are confirmed at once, so the pooled intervals of this stage are 97.5% (Bonferroni). If both pass, the one with
the lower pooled mean over 5 and 10 is adopted. Adopting `none` makes MetaTuner's default surrogate the same network
fitted to the task's own trials alone (Reptile and FO-MAML stay as options and ablations); adopting
`dkgp-fomaml-res` makes the residual deep-kernel GP, meta-trained by FO-MAML, MetaTuner's surrogate. It never reads a
meta-test task.

By that rule neither pick was adopted. Added after the confirmation, before its own runs, deciding nothing: the
issue's surrogate target asked of the meta-train tasks, where there are about twice as many tasks per suite as on the
meta-validation views. `nosur` (the committed MetaTuner without its surrogate: warm start and consensus) is run on
the seven `-train` views, and `--surrogate` reports `base` (the Reptile-meta-trained network) and `dkgp-fomaml-res`
(the residual GP) minus `nosur` after 5 and 10, per view (95%) and pooled (95%), written to
results/design/pooled-surrogate.csv. The target's question (an interval below zero after 10 on at least two suites
and above zero on none) is answered for each.

    python scripts/pooled_design.py --select       # results/design/pooled-select.csv
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/pooled_design.py <suite>-train [variant,...]
    python scripts/pooled_design.py --confirm      # results/design/pooled-confirm.csv, the verdict
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/pooled_design.py <suite>-train nosur
    python scripts/pooled_design.py --surrogate    # results/design/pooled-surrogate.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.core import make_rng
from metahpo.benchmark import task_regret, paired_differences
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT, SUITES
import rank_design

OUT = ROOT / 'pooled'
KS = (1, 3, 5, 10, 25)
ROUNDS = {'none': ('none', 'none'), 'evidence': ('evidence', 'evidence'), 'nosur': ('residual', 'nosur'),
          'dkgp-res': ('residual', 'dkgp-res'), 'dkgp-fomaml-res': ('residual', 'dkgp-fomaml-res'),
          'dkgp-none-res': ('residual', 'dkgp-none-res')}  # variant: (its round's folder, its file)
PICKED = {'none': 5, 'dkgp-fomaml-res': 10}  # what the pick gave when it was computed; asserted by --select
TRAIN = tuple(f'{s}-train' for s in SUITES if s != 'outside')

def variants():
    "The two picks, `base` and `nosur`, as the rounds that ran them defined them."
    from none_design import VARIANTS as NONE
    from residual_design import VARIANTS as RES
    return {'base': NONE['base'], 'nosur': NONE['nosur'], 'none': NONE['none'], 'dkgp-fomaml-res': RES['dkgp-fomaml-res']}

def differences(variant_file:Path, base_file:Path, k:int) -> pd.Series:
    "Per task: the variant's regret after k minus `base`'s (seeds averaged), on the tasks both ran."
    r = pd.concat([pd.read_parquet(base_file).assign(tuner='base'), pd.read_parquet(variant_file).assign(tuner='variant')])
    t = task_regret(r, k).dropna()
    return t['variant'] - t['base']

def pooled(diffs:dict, level=0.95, n_boot=2000, seed=0) -> tuple:
    "Mean of the per-task differences pooled over views (`diffs`: view -> Series), with a bootstrap interval resampling tasks within each view."
    rng, d = make_rng(seed), [np.asarray(v, float) for v in diffs.values() if len(v)]
    n = sum(len(v) for v in d)
    boots = [sum(rng.choice(v, len(v)).sum() for v in d) / n for _ in range(n_boot)]
    a = (1 - level) / 2
    return float(np.concatenate(d).mean()), float(np.quantile(boots, a)), float(np.quantile(boots, 1 - a)), n

_d = {'a': pd.Series([-1., -1, -1]), 'b': pd.Series([0., 0])}
_m, _lo, _hi, _n = pooled(_d)
assert _n == 5 and abs(_m + 0.6) < 1e-12 and _lo == _hi == -0.6  # no spread within a view: the interval is the mean

def select() -> pd.DataFrame:
    "Stage 1: each one-change variant minus its round's `base`, pooled over the eight design views; the picks."
    rows = []
    for v, (rnd, stem) in ROUNDS.items():
        for k in KS:
            diffs = {view: differences(ROOT / rnd / view / f'{stem}.parquet', ROOT / rnd / view / 'base.parquet', k) for view in SUITES}
            m, lo, hi, n = pooled(diffs)
            rows.append(dict(variant=v, round=rnd, k=k, n_tasks=n, diff=m, lo=lo, hi=hi))
    out = pd.DataFrame(rows)
    up = set(out[out.lo > 0].variant)
    picks = {v: int(g[(g.k.isin([5, 10])) & (g.hi < 0)].k.min()) for v, g in out.groupby('variant') if v not in up and ((g.k.isin([5, 10])) & (g.hi < 0)).any()}
    out['picked'] = out.variant.isin(picks)
    out.to_csv(ROOT / 'pooled-select.csv', index=False, float_format='%.5f')
    print(out.round(4).to_string()); print('picked (variant: k):', picks)
    assert picks == PICKED, f"the pick changed: {picks} (was {PICKED})"
    return out

def base_file(view) -> Path:
    "`base` on a `-train` view: this round's run, else the eighteenth round's."
    f = OUT / view / 'base.parquet'
    return f if f.exists() else ROOT / 'residual' / view / 'base.parquet'

def confirm() -> pd.DataFrame:
    "Stage 2: each pick minus `base` on the `-train` views, pooled (97.5%) and per view (95%); the verdict of the rule."
    rows, views = [], [v for v in TRAIN if base_file(v).exists()]
    for p, k_pick in PICKED.items():
        have = [v for v in views if (OUT / v / f'{p}.parquet').exists()]
        for k in KS:
            m, lo, hi, n = pooled({v: differences(OUT / v / f'{p}.parquet', base_file(v), k) for v in have}, level=0.975)
            rows.append(dict(variant=p, view='pooled', k=k, n_tasks=n, diff=m, lo=lo, hi=hi))
        for v in have:
            r = pd.concat([pd.read_parquet(base_file(v)).assign(tuner='base'), pd.read_parquet(OUT / v / f'{p}.parquet').assign(tuner=p)])
            q = paired_differences(r, p, ks=KS)
            rows += [dict(variant=p, view=v, k=x.k, n_tasks=r.task.nunique(), diff=x['diff'], lo=x.lo, hi=x.hi) for _, x in q[q.other == 'base'].iterrows()]
    out = pd.DataFrame(rows); out.to_csv(ROOT / 'pooled-confirm.csv', index=False, float_format='%.5f')
    print(out.round(4).to_string())
    passed = {}
    for p, k_pick in PICKED.items():
        g = out[out.variant == p]; pool = g[g.view == 'pooled'].set_index('k'); per = g[(g.view != 'pooled') & g.k.isin([5, 10])]
        done = g.view.nunique() - 1 == len(TRAIN)
        ok = bool(pool.hi[k_pick] < 0 and (pool.lo <= 0).all() and (per.lo <= 0).all())
        print(f"{p}: {'all' if done else g.view.nunique() - 1} of {len(TRAIN)} views; pooled after {k_pick} {pool['diff'][k_pick]:+.4f} "
              f"[{pool.lo[k_pick]:+.4f}, {pool.hi[k_pick]:+.4f}]; passes the rule: {ok}" + ('' if done else ' (not every view yet)')
              + ''.join(f"; {r.view} after {r.k} above zero" for r in per[per.lo > 0].itertuples()))
        if done and ok: passed[p] = pool['diff'][[5, 10]].mean()
    print('adopted:', min(passed, key=passed.get) if passed else 'no pick (both stay out)')
    return out

def surrogate_report(ks=(5, 10)) -> pd.DataFrame:
    "`base` and `dkgp-fomaml-res` minus `nosur` on the `-train` views, per view and pooled (95%); the issue's surrogate target asked of them."
    rows = []
    for v in ('base', 'dkgp-fomaml-res'):
        have = [w for w in TRAIN if (OUT / w / 'nosur.parquet').exists() and (base_file(w) if v == 'base' else OUT / w / f'{v}.parquet').exists()]
        files = {w: base_file(w) if v == 'base' else OUT / w / f'{v}.parquet' for w in have}
        for k in ks:
            diffs = {w: differences(files[w], OUT / w / 'nosur.parquet', k) for w in have}
            m, lo, hi, n = pooled(diffs)
            rows.append(dict(variant=v, view='pooled', k=k, n_tasks=n, diff=m, lo=lo, hi=hi))
            for w, d in diffs.items():  # one view: the same bootstrap over its tasks alone
                m, lo, hi, n = pooled({w: d})
                rows.append(dict(variant=v, view=w, k=k, n_tasks=n, diff=m, lo=lo, hi=hi))
    out = pd.DataFrame(rows); out.to_csv(ROOT / 'pooled-surrogate.csv', index=False, float_format='%.5f')
    print(out.round(4).to_string())
    for v, g in out[(out.k == 10) & (out.view != 'pooled')].groupby('variant'):
        print(f"{v} minus nosur after 10 on {len(g)} views: below zero on {', '.join(g[g.hi < 0].view) or 'none'}; above zero on "
              f"{', '.join(g[g.lo > 0].view) or 'none'}; the surrogate target met: {bool((g.hi < 0).sum() >= 2 and not (g.lo > 0).any())}")
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--surrogate': surrogate_report(); sys.exit()
    if sys.argv[1] == '--select': select(); sys.exit()
    if sys.argv[1] == '--confirm': confirm(); sys.exit()
    _args.view(sys.argv[1], TRAIN)
    names = _args.variants(variants(), [n for n in variants() if n != 'base' or not base_file(sys.argv[1]).exists()])
    rank_design.run(sys.argv[1], names, OUT, variants())
