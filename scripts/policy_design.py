"""Design study of issue 16 (twentieth round), on DESIGN VIEWS and META-TRAIN tasks only: an acquisition policy learned
from simulated tuning of the past tasks.

Nineteen rounds changed one part of MetaTuner at a time (how the past tasks are weighted, how they are covered, which
surrogate mixes in and how it is meta-trained), and the largest lead any of them found is a few thousandths of
normalized regret, where the meta-test target asks for about the whole of zero-shot's remaining regret. This round
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
acquisition in the surrogate's place) and minus the best peer of each view. It never reads a meta-test task.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py --log <suite>-train
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/policy_design.py <view> [policy,policy-suite]
    python scripts/policy_design.py --summary      # results/design/policy.csv, the verdict
"""
import sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.metatuner import MetaTuner, _unit, _rank_agreement
from metahpo.benchmark import run_benchmark, paired_differences
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
    "MetaTuner without its surrogate whose pick from the fourth trial on is the learned policy's (`model`); with `log` (a list) and `truth` (configuration key -> normalized value), it picks as the consensus does and logs every free candidate's features and true improvement."
    def __init__(self, *a, model=None, log=None, truth=None, **kw):
        super().__init__(*a, parts=PARTS, **kw)
        self.model, self.log, self.truth = model, log, truth

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
            return super()._pick(X, y)
        return self._take(pool[free[int(np.argmax(self.model.predict(F)))]])

def truths(ex):
    "Per task: configuration key -> its value normalized over the task's candidates (1 the best, 0 the worst), as normalized regret counts."
    out = {}
    for e in ex:
        v = e.values if e.direction == 'maximize' else -e.values
        span = v.max() - v.min()
        out[e.task.name] = {e.space.key(c): (x - v.min()) / span if span > 0 else 1.0 for c, x in zip(e.configs, v)}
    return out

def log(view):
    "Simulate MetaTuner without its surrogate on a `-train` view, logging every step's candidates (results/design/policy/logs/<view>.parquet)."
    f = LOGS / f'{view}.parquet'
    if f.exists(): return
    ex, tuned, past, mf, budget = setup(view)
    tr, rows = truths(ex), []
    def make(space, seed, rest, task):
        t = PolicyTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), log=rows, truth=tr[task])
        t.task_name = task; return t
    t0 = time.time()
    run_benchmark(ex, {'log': make}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
    LOGS.mkdir(parents=True, exist_ok=True)
    pd.concat(rows, ignore_index=True).assign(view=view).to_parquet(f); print(view, 'logged', f'{time.time() - t0:.0f}s', flush=True)

def fit_policy(views):
    "The gradient-boosted regressor of a candidate's true improvement on its features, from the logs of `views`."
    from sklearn.ensemble import HistGradientBoostingRegressor
    d = pd.concat([pd.read_parquet(LOGS / f'{v}.parquet') for v in views], ignore_index=True)
    w = 1.0 / d.groupby(['view', 'task']).step.transform('size')  # every task counts alike, whatever its pool and budget
    return HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, min_samples_leaf=50, random_state=0).fit(
        d[list(FEATURES)].to_numpy(), d.gain_true.to_numpy(), sample_weight=w.to_numpy() * len(d) / w.sum())

def suite_of(view): return 'rf-grid' if view == 'outside' else view

def run(view, names):
    ex, tuned, past, mf, budget = setup(view)
    d = OUT / view; d.mkdir(parents=True, exist_ok=True)
    for n in names:
        f = d / f'{n}.parquet'
        if f.exists(): continue
        model = fit_policy(TRAIN if n == 'policy' else [f'{suite_of(view)}-train'])
        t0 = time.time()
        make = lambda space, seed, rest, task: PolicyTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), model=model)
        r = run_benchmark(ex, {n: make}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
        r.to_parquet(f); print(view, n, f'{time.time() - t0:.0f}s', flush=True)

if __name__ == '__main__':
    if sys.argv[1] == '--log':
        for v in sys.argv[2].split(','):
            if v not in TRAIN: sys.exit(f"view {v!r} is not allowed: give one of {', '.join(TRAIN)}")
            log(v)
        sys.exit()
    if sys.argv[1] not in SUITES: sys.exit(f"view {sys.argv[1]!r} is not allowed: give one of {', '.join(SUITES)}")
    run(sys.argv[1], sys.argv[2].split(',') if len(sys.argv) > 2 else ['policy', 'policy-suite'])
