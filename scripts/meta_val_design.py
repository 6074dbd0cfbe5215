"""Design study of issue 16, on META-VALIDATION tasks only: variants of MetaTuner's acquisition after the warm start.

Each variant subclasses the MetaTuner of commit 0951aab (the design before this study; its `_consensus` is
overridden) and replays every meta-validation task of a suite, 3 seeds, with the meta-train tasks as experience.
It never reads a meta-test task. Run files go to results/design/meta-val/<suite>/<variant>.parquet (a finished
variant is skipped, so an interrupted study resumes); `--summary` writes results/design/meta-val-variants.csv
(mean regret after k, and each variant minus `base` and minus the committed `zero-shot` runs of
results/<suite>/meta-val, with paired 95% bootstrap intervals over tasks).

Run against the code it was written for:
    git worktree add /tmp/metahpo-0951aab 0951aab
    cd /tmp/metahpo-0951aab && PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python <this checkout>/scripts/meta_val_design.py <suite> [variant,...]
    python scripts/meta_val_design.py --summary      # from this checkout: reads the run files only

Variants (names as in the CSV): base = the 0951aab design (surrogate one source among the past tasks, weight 1,
adapted 5 steps at lr 0.01, 100 meta-steps); gain* = pick by the weighted coverage gain throughout (not the
weighted mean); rank* = per-task ranks instead of min-max scaling (warm start and consensus); preq = the
surrogate trusted by the rank agreement of predictions made before each trial (out of sample); a8 = adapt 8 steps
at lr 0.05 (meta-training's inner loop); big = the surrogate weighs as much as all past tasks together; p2 =
agreement squared; rgpe = weights from bootstrap probabilities of being the best-ranking source (RGPE); x-only =
after the warm start the adapted surrogate's mean alone; ei = expected improvement alone; 300/1000 = meta-steps;
sfix = the surrogate's coverage at the best observed score; duo = two experts (consensus of the past tasks,
adapted surrogate) mixed by their out-of-sample rank agreements, the design adopted after this study.
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, math, time, numpy as np, pandas as pd, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
from metahpo.suites import SUITES, suite_experience, get_suite, protocol_tasks
from metahpo.metatuner import MetaTuner, _rank_agreement
from metahpo.surrogate import MetaSurrogate
from metahpo.benchmark import run_benchmark, task_regret, paired_differences
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns

class V(MetaTuner):
    def __init__(self, *a, mode='exploit', sur=True, trust='insample', power=1.0, sur_w=1.0, norm='minmax', weights='agree', only_sur=False, sfix=False, duo=False, **kw):
        self.norm, self.wscheme, self.only_sur, self.sfix, self.duo = norm, weights, only_sur, sfix, duo
        super().__init__(*a, **kw); self.mode, self.use_sur, self.trust, self.power, self.sur_w = mode, sur, trust, power, sur_w
        self._pre = {}
    def _warm_start(self, Z, z, n_warm, n_similar, have_mf):
        import metahpo.metatuner as M
        if self.norm != 'rank': return super()._warm_start(Z, z, n_warm, n_similar, have_mf)
        orig = M.greedy_portfolio
        def g(S, size, w=None):
            R = pd.DataFrame(S).rank(axis=1, pct=True).to_numpy()  # NaN stays NaN
            return orig(R, size, w)
        M.greedy_portfolio = g
        try: return super()._warm_start(Z, z, n_warm, n_similar, have_mf)
        finally: M.greedy_portfolio = orig
    def _consensus(self, X, y):
        pool = self._pool()
        if self._S is None:
            self._pool_keys, self._pool_X = [self.space.key(c) for c in pool], self.space.encode_many(pool)
            self._S = np.stack([self._task_scores(t, self._pool_keys, self._pool_X) for t in range(len(self.past))])
            self._cols = {k: self._S[:, j] for j, k in enumerate(self._pool_keys)}
        free = np.array([k not in self._seen for k in self._pool_keys])
        if not free.any(): return None
        observed = [(self.space.key(c), c) for c, l in self.observations if math.isfinite(l)]
        for k, c in observed:
            if k not in self._cols:
                x = self.space.encode_many([c])
                self._cols[k] = np.array([self._task_scores(t, [k], x)[0] for t in range(len(self.past))])
        S = self._S; O = np.stack([self._cols[k] for k, _ in observed], 1) if observed else None
        w = self._prior.copy(); Ocov = O; ps = None
        if len(y) >= 3:
            prior = self._prior
            if self.use_sur:
                if not self._fitted: self._fit()
                if self.trust == 'preq' and not self._pre:  # out-of-sample: the meta-trained (unadapted) model's predictions of the first trials
                    self.surrogate.adapt(X[:0], y[:0], self._z)
                    p0 = self.surrogate.predict(X, self._z)[0]
                    self._pre = {k: v for (k, _), v in zip(observed, p0)}
                self.surrogate.adapt(X, y, self._z)
                ps = self.surrogate.predict(self._pool_X, self._z)[0]
                pin = self.surrogate.predict(X, self._z)[0]
                S = np.vstack([S, ps]); Ocov = np.vstack([O, pin])
                if self.sfix:  # the surrogate's coverage: the best observed score in its own (standardised) scale
                    from metahpo.experience import standardise_scores
                    Ocov = np.vstack([O, np.full(len(y), standardise_scores(y).max())])
                if self.trust == 'preq':
                    pt = np.array([self._pre.get(k, np.nan) for k, _ in observed]); m = ~np.isnan(pt)
                    a_s = _rank_agreement(pt[m][None], y[m])[0] if m.sum() >= 3 else 0.0
                else: a_s = _rank_agreement(pin[None], y)[0]
                a = np.append(_rank_agreement(O, y), a_s)
                w, prior = np.append(w, self.sur_w * (w.sum() if self.sur_w < 0 else 1) * (-1 if self.sur_w < 0 else 1)), np.append(prior, 0.0)
            else: a = _rank_agreement(O, y)
            if self.wscheme == 'rgpe':  # probability of being the best-ranking source, over bootstrap resamples of the trials
                rng = np.random.default_rng(len(y)); Ot = np.vstack([O, pt[None] if self.use_sur and self.trust == 'preq' else Ocov[-1:]]) if self.use_sur else O
                votes = np.zeros(len(Ot))
                for _ in range(100):
                    b = rng.integers(len(y), size=len(y)); aa = _rank_agreement(np.nan_to_num(Ot[:, b], nan=0.0), y[b])
                    top = np.flatnonzero(aa >= aa.max() - 1e-12); votes[top] += 1 / len(top)
                w = votes / votes.sum() * (prior > 0 if not self.use_sur else np.append(self._prior > 0, True))
            else: w = w * np.clip(a, 0, None) ** self.power
            if self.only_sur: w[:-1] = 0.0; w[-1] = 1.0
            if w.sum() <= 0: w = prior
        lo, hi = S.min(1, keepdims=True), S.max(1, keepdims=True)
        if self.norm == 'rank':
            srt = np.sort(S, 1)
            unit = lambda A: np.stack([np.searchsorted(srt[i], A[i], side='right') / S.shape[1] for i in range(len(S))])
        else: unit = lambda A: (A - lo) / np.where(hi > lo, hi - lo, 1.0)
        U = unit(S); score = w @ U / w.sum()
        if self.duo and ps is not None and len(y) >= 3:  # two experts: the past tasks' consensus and the surrogate, each trusted by its out-of-sample rank agreement
            wp = w[:-1]; Up = U[:-1]; Uo = unit(Ocov)[:-1]
            cons = wp @ Up / max(wp.sum(), 1e-12); cons_obs = wp @ Uo / max(wp.sum(), 1e-12)
            a_c = max(_rank_agreement(cons_obs[None], y)[0], 0.0); a_s2 = max(a_s, 0.0)
            lam = a_s2 / (a_s2 + a_c) if a_s2 + a_c > 0 else 0.0
            score = (1 - lam) * cons + lam * U[-1]
        if len(y) < 3 or self.mode == 'gain':
            covered = unit(Ocov).max(1) if Ocov is not None else np.zeros(len(S))
            gain = w @ np.maximum(U - covered[:, None], 0)
            if gain[free].max() > 0: score = gain
        score[~free] = -np.inf
        j = int(np.argmax(score))
        if ps is not None: self._pre[self._pool_keys[j]] = ps[j]
        return self._take(pool[j])

def make(mf, algo='reptile', sk=None, n_warm=5, ms=100, **kw):
    fitted = {}
    def f(space, seed, rest, task):
        key = tuple(rest.task_names)
        sur = fitted.get(key) or MetaSurrogate(algo, n_members=3, meta_steps=ms, seed=0, **(sk or {}))
        fitted[key] = sur
        return V(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=sur, n_warm=n_warm, **kw)
    return f

VARIANTS = {
 'base': dict(),
 'gain': dict(mode='gain'),
 'gain-nosur': dict(mode='gain', sur=False),
 'gain-preq': dict(mode='gain', trust='preq'),
 'gain-preq-a8': dict(mode='gain', trust='preq', sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'gain-p2': dict(mode='gain', power=2.0),
 'preq-a8': dict(trust='preq', sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'rank': dict(norm='rank'),
 'duo-a8-300': dict(duo=True, trust='preq', ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-only-none-300': dict(only_sur=True, ms=300, algo='none', sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-only-fomaml-300': dict(only_sur=True, ms=300, algo='fomaml', sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'ei-a8-300': dict(acquisition='ei', ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'gain-sfix-a8-300': dict(mode='gain', sfix=True, trust='preq', sur_w=-1.0, ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'gain-sfix1-a8-300': dict(mode='gain', sfix=True, trust='preq', ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-big-a8-300': dict(trust='preq', sur_w=-1.0, ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-big-a8-1000': dict(trust='preq', sur_w=-1.0, ms=1000, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-only-a8-300': dict(only_sur=True, ms=300, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'x-only-a8-1000': dict(only_sur=True, ms=1000, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'gain-preq-big': dict(mode='gain', trust='preq', sur_w=-1.0),
 'gain-preq-big-a8': dict(mode='gain', trust='preq', sur_w=-1.0, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'gain-big-a8': dict(mode='gain', sur_w=-1.0, sk=dict(adapt_steps=8, adapt_lr=0.05)),
 'rank-gain': dict(norm='rank', mode='gain'),
 'rank-gain-nosur': dict(norm='rank', mode='gain', sur=False),
 'rgpe-gain-preq': dict(mode='gain', trust='preq', weights='rgpe'),
 'rank-rgpe-gain-preq': dict(norm='rank', mode='gain', trust='preq', weights='rgpe'),
 'rank-rgpe-preq': dict(norm='rank', trust='preq', weights='rgpe'),
}
def summary(root=Path(__file__).resolve().parents[1], study='meta-val', base='base', csv='meta-val-variants.csv', seeds=None):
    "Mean regret per (suite, variant, k) and paired differences against `base` and the committed zero-shot runs (of `seeds`, default all)."
    rows, tag_base = [], 'vs_' + base.replace('-', '_')
    for d in sorted((root / 'results' / 'design' / study).iterdir()):
        if not any(d.glob('*.parquet')): continue
        var = pd.concat([pd.read_parquet(f) for f in sorted(d.glob('*.parquet'))])
        zs = pd.concat([pd.read_parquet(f) for f in sorted((root / 'results' / d.name / 'meta-val' / 'runs').glob('zero-shot-seed*.parquet'))])
        if seeds is not None: zs = zs[zs.seed.isin(seeds)]  # paired with the variants' seeds
        res = pd.concat([var, zs]); ks = [1, 3, 5, 10, 25]
        mean = {k: task_regret(res, k).mean() for k in ks}
        for v in sorted(var.tuner.unique()):
            p = paired_differences(res, v, ks=ks)
            for k in ks:
                r = dict(suite=d.name, variant=v, k=k, n_tasks=res.task.nunique(), regret=mean[k][v])
                for other, tag in ((base, tag_base), ('zero-shot', 'vs_zero_shot')):
                    q = p[(p.k == k) & (p.other == other)]
                    if len(q): r.update({tag: q['diff'].iloc[0], f'{tag}_lo': q.lo.iloc[0], f'{tag}_hi': q.hi.iloc[0]})
                rows.append(r)
    out = pd.DataFrame(rows); out.to_csv(root / 'results' / 'design' / csv, index=False, float_format='%.5f')
    return out

def meta_val_setup(s, protocol='meta-val'):
    "A suite's tasks, its meta-validation tasks (or those of another `protocol`), the tasks they learn from (meta-train; for 'meta-test' also meta-validation), and every task's meta-features."
    _args.view(s, SUITES)
    cache = f'results/{s}/candidates.db' if get_suite(s).source == 'yahpo' else None
    ex = suite_experience(s, None, None, 100, cache=cache)
    tuned, learn = protocol_tasks(s, ex.task_names, protocol)
    past = ex.select(exclude=set(ex.task_names) - set(learn))
    return ex, tuned, past, {e.task.name: e.task.meta_features for e in ex}

def run_study(study, s, names, make_variant, seeds):
    "Replay each named variant (make_variant(name, meta_features) -> tuner factory) on suite s's meta-validation tasks into results/design/<study>/<s>/<name>.parquet, skipping finished ones."
    ex, tuned, past, mf = meta_val_setup(s)
    outdir = Path(__file__).resolve().parents[1] / 'results' / 'design' / study / s; outdir.mkdir(parents=True, exist_ok=True)
    for n in names:
        f = outdir / f'{n}.parquet'
        if f.exists(): continue
        t0 = time.time()
        r = run_benchmark(ex, {n: make_variant(n, mf)}, budget=get_suite(s).budget, seeds=seeds, tasks=tuned, past=past, progress=False)
        r.to_parquet(f); print(s, n, f'{time.time()-t0:.0f}s', flush=True)

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary': print(summary().query('k == 10').round(4).to_string()); sys.exit()
    names = _args.variants(VARIANTS)
    run_study('meta-val', sys.argv[1], names, lambda n, mf: make(mf, **VARIANTS[n]), [0, 1, 2])
