"""Design study of issue 16 (twentieth round), on DESIGN VIEWS and META-TRAIN tasks only: an acquisition policy learned
from simulated tuning of the past tasks.

Nineteen rounds changed one part of MetaTuner at a time (how the past tasks are weighted, how they are covered, which
surrogate mixes in and how it is meta-trained), and the largest pooled lead any of them found is under a hundredth
of normalized regret, where the meta-test target asks for about the whole of zero-shot's remaining regret. This round
tries a different kind of method, as the design page's hindsight section asks: instead of fixing by hand how the
signals are combined, the choice of the next configuration is *learned* from experience (as MetaBO learns an
acquisition function across tasks, here by supervised regression rather than reinforcement learning).

At each step from the fourth trial on (the warm start and the coverage of the first three trials are MetaTuner's), every
free candidate gets features from what MetaTuner already computes and from the task's own trials: the consensus's
score (similarity x rank agreement), the similarity-weighted and equal-weighted means of the past tasks' scores, their
weighted spread, the best-weighted past task's score, the coverage gain (how much the candidate improves the weighted
past tasks' best so far, zero-shot's criterion, weighted and equal), the consensus's rank agreement with this task's
trials, the number of trials, a Gaussian process fitted to this task's own trials (its mean over the best so far, its
spread, its expected improvement), a residual Gaussian process around the consensus (the eighteenth round's prior
mean), the distance to the nearest trial and the candidate's rank under the consensus and under the GP. A gradient-
boosted regressor predicts from them how much the candidate would improve this task's best so far (in normalized
regret), and the policy proposes the candidate with the largest prediction.

The regressor learns from simulations on META-TRAIN tasks only (`--log`): every suite's meta-train task tuned with the
suite's other meta-train tasks as experience by MetaTuner without its surrogate (warm start and consensus), every step
from the fourth on logging every free candidate's features and its true improvement (results/design/policy/logs/,
git-ignored, remade by `--log`). `policy` learns from the logs of all seven suites pooled (the features are free of
scale); `policy-suite`, reported beside it and deciding nothing, from the tuned suite's own logs (the outside tables:
rf-grid's).

Judged on the eight DESIGN VIEWS (each suite's meta-validation tasks with its meta-train tasks as experience, and
the outside tables with rf-grid's meta-train and meta-validation tasks), where no log was made: `base` and `nosur`
are the fifteenth round's runs of the committed MetaTuner (results/design/none/<view>/). The rule, fixed before any
run of the policy: `policy` is adopted as MetaTuner's acquisition after its third trial if, pooled over the eight
design views (95% bootstrap resampling tasks within views), its interval against `base` lies below zero after 5 or
10 and above zero at no k (1, 3, 5, 10, 25), and no single view's paired 95% interval lies above zero after 5 or 10.
Reported beside it, deciding nothing: both policies minus `nosur` (the surrogate target's question asked of a learned
acquisition in the surrogate's place) and minus the best peer of each view. It tunes, logs, learns from and reports no meta-test task.

By that rule `policy` was not adopted (level in pool, behind `base` on rbv2_xgboost after 10), while on the logs the
regressor picked better one step ahead than the consensus (`--cv`). A regressor learned from the consensus's states is
run on states of its own, which it never learned from; the standard remedy in imitation learning is DAgger: simulate
with the learned policy and learn again from the states it visits.

Twenty-first round (`--dagger`, then `policy-dagger`), committed with its rule before any of its runs: the policy tunes
every suite's meta-train tasks as above, each task by the regressor fitted to the consensus's logs of the other folds'
tasks (the five folds of `--cv`, drawn per task name, so that no data set is tuned by a regressor that learned from
it in either random-forest suite; the first runs drew them per suite and task, which let an rf-wide table be tuned by
a regressor that had learned from the same table's rf-grid logs, and were redone), logging every step's
candidates (results/design/policy/logs/dagger/); `policy-dagger` is the regressor fitted to both sets of logs, run on
the eight design views. The rule is the twentieth round's: adopted if, pooled over the eight design views, its
interval against `base` lies below zero after 5 or 10 and above zero at no k, and no single view's paired 95%
interval lies above zero after 5 or 10.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py --log <suite>-train
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py <view> [policy,policy-suite]
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py --dagger <suite>-train
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py <view> policy-dagger
    python scripts/policy_design.py --summary      # results/design/policy.csv, the verdicts
    python scripts/policy_design.py --cv           # results/design/policy-cv.csv: the regressor checked on the logs alone
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.metatuner import MetaTuner, _unit, _rank_agreement
from metahpo.benchmark import run_benchmark, paired_differences
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import setup, ROOT, SUITES
from pooled_design import pooled, differences

OUT = ROOT / 'policy'
LOGS = OUT / 'logs'
KS = (1, 3, 5, 10, 25)
TRAIN = tuple(f'{s}-train' for s in SUITES if s != 'outside')
PARTS = ('warm-start', 'consensus')  # the policy takes the surrogate's place: MetaTuner without it, as `nosur`

def _gp(X, y, Xq):
    "A Gaussian process (Matern 5/2 with automatic relevance, noise) fitted to (X, y): its mean and standard deviation at Xq."
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import Matern, WhiteKernel, ConstantKernel
    k = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(np.full(X.shape[1], 0.5), (1e-2, 1e2), nu=2.5) + WhiteKernel(1e-2, (1e-6, 1e0))
    g = GaussianProcessRegressor(k, normalize_y=False, random_state=0).fit(X, y)
    return g.predict(Xq, return_std=True)

def _pct(v):
    "Each value's rank among v, from 0 (lowest) to 1 (highest)."
    return (np.argsort(np.argsort(v, kind='stable'), kind='stable') / max(len(v) - 1, 1)).astype(float)

FEATURES = ('cons', 'prior_mean', 'eq_mean', 'spread', 'top_source', 'gain', 'gain_eq', 'agree', 'n', 'gp_mu', 'gp_sd',
            'gp_ei', 'res_mu', 'dist', 'cons_rank', 'gp_rank')

def features(S, O, y, X, pool_X, free, prior, weights):
    "Every free candidate's features (rows: free candidates, columns: FEATURES) from the past tasks' scores S (sources x pool) and O (sources x trials), the trials' scores y and encodings X."
    from scipy.stats import norm
    w = weights / weights.sum(); p = prior / prior.sum()
    U = _unit(S, S)[:, free]; Uo = _unit(S, O)
    cons = w @ U; at_obs = w @ Uo
    covered = Uo.max(1)
    imp = np.maximum(U - covered[:, None], 0)
    ys = (y - y.mean()) / (y.std() or 1.0); best = ys.max()
    Xq = pool_X[free]
    mu, sd = _gp(X, ys, Xq)
    z = (mu - best) / np.maximum(sd, 1e-9); ei = (mu - best) * norm.cdf(z) + sd * norm.pdf(z)
    A = np.column_stack([np.ones(len(y)), at_obs]); coef = np.linalg.lstsq(A, ys, rcond=None)[0]
    rmu, _ = _gp(X, ys - A @ coef, Xq)
    res = coef[0] + coef[1] * cons + rmu
    dist = np.sqrt(((Xq[:, None, :] - X[None]) ** 2).sum(-1)).min(1)
    agree = float(_rank_agreement(at_obs[None], y)[0])
    F = np.column_stack([cons, p @ U, U.mean(0), np.sqrt(w @ (U - cons) ** 2), U[int(np.argmax(w))], w @ imp, imp.mean(0),
                         np.full(len(cons), agree), np.full(len(cons), len(y)), mu - best, sd, ei, res - best, dist, _pct(cons), _pct(mu)])
    return F

class PolicyTuner(MetaTuner):
    "MetaTuner without its surrogate whose pick from the fourth trial on is the learned policy's (`model`); with `log` (a list) and `truth` (configuration key -> normalized value), it logs every free candidate's features and true improvement, and picks as the consensus does where there is no `model`."
    def __init__(self, *a, model=None, log=None, truth=None, **kw):
        super().__init__(*a, parts=PARTS, **kw)
        self.model, self.log, self.truth, self.task_name = model, log, truth, kw.get('task')

    def _pick(self, X, y):
        if len(y) < self.consensus.min_trials or (self.model is None and self.log is None): return super()._pick(X, y)
        pool = self._pool()
        if self._S is None: self._S = self.consensus.scores(pool)
        free = np.flatnonzero([k not in self._seen for k in self._pool_keys])
        if not len(free): return None
        observed = [(self.space.key(c), c) for c, l in self.observations if np.isfinite(l)]
        O = self.consensus.scores([c for _, c in observed])
        F = features(self._S, O, y, X, self._pool_X, free, self._prior, self.consensus.weights(O, y))
        if self.log is not None:
            v = np.array([self.truth[self._pool_keys[j]] for j in free]); b = max(self.truth[k] for k, _ in observed)
            self.log.append(pd.DataFrame(F, columns=FEATURES).assign(gain_true=np.maximum(v - b, 0), task=self.task_name, step=len(y)))
            if self.model is None: return super()._pick(X, y)
        return self._take(pool[free[int(np.argmax(self.model.predict(F)))]])

def truths(ex, tuned):
    "Per tuned task: configuration key -> its value normalized over the task's candidates (1 the best, 0 the worst), as normalized regret counts."
    out = {}
    tuned = set(tuned)
    for e in (e for e in ex if e.task.name in tuned):
        v = e.values if e.direction == 'maximize' else -e.values
        span = v.max() - v.min()
        out[e.task.name] = {e.space.key(c): (x - v.min()) / span if span > 0 else 1.0 for c, x in zip(e.configs, v)}
    return out

def _simulate(view, f:Path, model_of=lambda task: None):
    "Tune a `-train` view's tasks with `PolicyTuner` (the regressor `model_of(task)`, or the consensus where it is None), logging every step's candidates to `f`; nothing if `f` exists."
    if f.exists(): return
    ex, tuned, past, mf, budget = setup(view)
    tr, rows = truths(ex, tuned), []
    make = lambda space, seed, rest, task: PolicyTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), log=rows,
                                                       truth=tr[task], model=model_of(task))
    t0 = time.time()
    run_benchmark(ex, {'log': make}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
    f.parent.mkdir(parents=True, exist_ok=True)
    pd.concat(rows, ignore_index=True).assign(view=view).to_parquet(f); print(view, 'logged', f'{time.time() - t0:.0f}s', flush=True)

def log(view):
    "Simulate MetaTuner without its surrogate on a `-train` view, logging every step's candidates (results/design/policy/logs/<view>.parquet)."
    _simulate(view, LOGS / f'{view}.parquet')

def dagger(view, folds=5):
    "The twenty-first round's simulations (DAgger's second iteration): the policy tunes a `-train` view's tasks as it would be run, each task by the regressor fitted to the consensus's logs of the other folds' tasks (`task_folds`, over all seven views), logging every step's candidates (results/design/policy/logs/dagger/<view>.parquet)."
    f = LOGS / 'dagger' / f'{view}.parquet'
    if f.exists(): return
    d = read_logs(TRAIN); fold = task_folds(d, folds)
    of = dict(zip(d.task, fold))
    models = {k: _regressor(d[fold != k]) for k in sorted(set(of[t] for t in d[d.view == view].task.unique()))}
    _simulate(view, f, lambda task: models[of[task]])

def _regressor(d:pd.DataFrame):
    "The gradient-boosted regressor of a candidate's true improvement on its features, fitted to the log rows `d`, every task counting alike whatever its pool and budget."
    from sklearn.ensemble import HistGradientBoostingRegressor
    w = 1.0 / d.groupby(['view', 'task']).step.transform('size')
    return HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, min_samples_leaf=50, random_state=0).fit(
        d[list(FEATURES)].to_numpy(), d.gain_true.to_numpy(), sample_weight=(w * len(d) / w.sum()).to_numpy())

def read_logs(views, dagger=False) -> pd.DataFrame:
    "The logs of `views` (the consensus's simulations; with `dagger`, the policy's own too)."
    fs = [LOGS / f'{v}.parquet' for v in views] + ([LOGS / 'dagger' / f'{v}.parquet' for v in views] if dagger else [])
    for flag, folder in (('--log', LOGS), ('--dagger', LOGS / 'dagger')):  # git-ignored: a checkout has none until they are made
        if missing := [f.stem for f in fs if f.parent == folder and not f.exists()]:
            raise SystemExit(f"no {flag} log of {', '.join(missing)} in {folder} (the logs are git-ignored): make them first with "
                             f"`python scripts/policy_design.py {flag} {','.join(missing)}`" + (", after --log" if flag == '--dagger' else ''))
    return pd.concat([pd.read_parquet(f) for f in fs], ignore_index=True)

def fit_policy(views, dagger=False):
    "The regressor from the logs of `views` (with `dagger`, the policy's own simulations too)."
    return _regressor(read_logs(views, dagger))

def task_folds(d:pd.DataFrame, folds=5) -> pd.Series:
    "Each log row's fold (0 to folds - 1), drawn per task name with seed 0 in the order the names first appear: a data set tuned in two suites (rf-grid and rf-wide share their PMLB tables) falls in one fold."
    tasks = d.task.unique()
    return d.task.map(dict(zip(tasks, np.random.default_rng(0).integers(0, folds, len(tasks)))))

def cv_check(folds=5) -> pd.DataFrame:
    "On the logs alone (meta-train tasks): with the policy fitted on the other folds' tasks (5-fold, grouped by task name: `task_folds`), the mean true improvement of the candidate it would pick at each logged state, beside the consensus's, the GP's expected improvement's, the residual GP's and the best possible; per `-train` view (results/design/policy-cv.csv). One step from the consensus's own states: a check of the regressor, not of the tuner. Added after the rule, before any run of the policy, and redone with folds per task name after a review; it decides nothing."
    d = read_logs(TRAIN)
    d['fold'] = task_folds(d, folds); d['policy'] = np.nan
    for f in range(folds):
        d.loc[d.fold == f, 'policy'] = _regressor(d[d.fold != f]).predict(d.loc[d.fold == f, list(FEATURES)].to_numpy())
    g = d.groupby(['view', 'task', 'step'])
    res = pd.DataFrame({c: g.apply(lambda x: x.gain_true.to_numpy()[np.argmax(x[c].to_numpy())]) for c in ('policy', 'cons', 'gp_ei', 'res_mu')})
    res['best possible'] = g.gain_true.max()
    out = res.groupby(level='view').mean(); out.loc['all'] = res.mean()
    out.to_csv(ROOT / 'policy-cv.csv', float_format='%.5f'); print(out.round(4).to_string())
    return out

def suite_of(view): return 'rf-grid' if view == 'outside' else view

def run(view, names):
    ex, tuned, past, mf, budget = setup(view)
    d = OUT / view; d.mkdir(parents=True, exist_ok=True)
    for n in names:
        f = d / f'{n}.parquet'
        if f.exists(): continue
        model = fit_policy(TRAIN, dagger=True) if n == 'policy-dagger' else fit_policy(TRAIN if n == 'policy' else [f'{suite_of(view)}-train'])
        t0 = time.time()
        make = lambda space, seed, rest, task: PolicyTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), model=model)
        r = run_benchmark(ex, {n: make}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
        r.to_parquet(f); print(view, n, f'{time.time() - t0:.0f}s', flush=True)

def summary() -> pd.DataFrame:
    "Both policies minus `base` and `nosur` (the fifteenth round's runs) and minus the view's best peer, per view (paired 95%) and pooled (95%, tasks resampled within views); the verdict of the rule."
    from hindsight_design import peers
    from metahpo.benchmark import task_regret
    rows, peer_runs, peer_regret = [], {}, {}  # view -> the peers' runs, (view, k) -> their regret per task: each read once
    for v in ('policy', 'policy-suite', 'policy-dagger'):
        views = [w for w in SUITES if (OUT / w / f'{v}.parquet').exists()]
        runs = {w: pd.read_parquet(OUT / w / f'{v}.parquet') for w in views}
        if not views: continue
        for ref in ('base', 'nosur', 'best peer'):
            for k in KS:
                diffs = {}
                for w in views:
                    if ref == 'best peer':
                        if w not in peer_runs: peer_runs[w] = peers(w)
                        if (w, k) not in peer_regret: peer_regret[w, k] = task_regret(peer_runs[w], k)
                        P = peer_regret[w, k]; best = P.mean().idxmin(); diffs[w] = (task_regret(runs[w], k)[v] - P[best]).dropna()
                    else: diffs[w] = differences(OUT / w / f'{v}.parquet', ROOT / 'none' / w / f'{ref}.parquet', k)
                for w, d in diffs.items():
                    lo, hi = (paired_differences(pd.concat([pd.read_parquet(ROOT / 'none' / w / f'{ref}.parquet').assign(tuner=ref),
                                                            runs[w]]), v, ks=[k]).query('other == @ref')[['lo', 'hi']].iloc[0]
                              if ref != 'best peer' else pooled({w: d})[1:3])
                    rows.append(dict(variant=v, ref=ref, view=w, k=k, n_tasks=len(d), diff=d.mean(), lo=lo, hi=hi))
                m, lo, hi, n = pooled(diffs)
                rows.append(dict(variant=v, ref=ref, view='pooled', k=k, n_tasks=n, diff=m, lo=lo, hi=hi))
    out = pd.DataFrame(rows); out.to_csv(ROOT / 'policy.csv', index=False, float_format='%.5f')
    print(out[out.view == 'pooled'].round(4).to_string())
    for v in ('policy', 'policy-dagger'):  # the two rounds' rules, alike
        g = out[(out.variant == v) & (out.ref == 'base')]
        if g.empty: continue
        pool, per = g[g.view == 'pooled'].set_index('k'), g[(g.view != 'pooled') & g.k.isin([5, 10])]
        done = g.view.nunique() - 1 == len(SUITES)
        ok = bool((pool.hi[[5, 10]] < 0).any() and (pool.lo <= 0).all() and (per.lo <= 0).all())
        print(f"{v} minus base on {g.view.nunique() - 1} of {len(SUITES)} design views: pooled after 5 {pool['diff'][5]:+.4f} "
              f"[{pool.lo[5]:+.4f}, {pool.hi[5]:+.4f}], after 10 {pool['diff'][10]:+.4f} [{pool.lo[10]:+.4f}, {pool.hi[10]:+.4f}]"
              + ''.join(f"; {r.view} after {r.k} above zero" for r in per[per.lo > 0].itertuples())
              + ''.join(f"; pooled after {k} above zero" for k in pool.index[pool.lo > 0]))
        print(f'{v} adopted:', ('yes' if ok else 'no (the committed MetaTuner stays)') if done else 'not every view has run yet')
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary': summary(); sys.exit()
    if sys.argv[1] == '--cv': cv_check(); sys.exit()
    if sys.argv[1] in ('--log', '--dagger'):
        for v in sys.argv[2].split(','):
            _args.view(v, TRAIN)
            (log if sys.argv[1] == '--log' else dagger)(v)
        sys.exit()
    _args.view(sys.argv[1], SUITES)
    run(sys.argv[1], _args.variants(('policy', 'policy-suite', 'policy-dagger'), ['policy', 'policy-suite']))
