"""Design study of issue 16 (second round), on META-VALIDATION tasks only: the warm start's similarity kernel, a
warm start where past tasks share no configurations, and how the consensus is trusted beside the surrogate.

MetaTuner weighs each past task by a Gaussian kernel of its meta-feature distance to the new task, as wide as the
median distance (width 1). On the meta-validation tasks of rf-grid, zero-shot (every past task equal: an infinitely
wide kernel) is ahead of it at k = 5 and 10; on lcbench and rbv2_xgboost (no meta-features, no configurations shared
between tasks) MetaTuner has no warm start at all. Variants:

- `w1`: the committed MetaTuner (width 1), every strategy; the baseline of this study.
- `wloo`: the width chosen per experience base, before any trial, by leave-one-task-out over the PAST tasks
  alone (each past task in turn tuned by the portfolio of the others, weighted at each width in WIDTHS: a multiple
  of the median squared distance, inf = equal weights; the width whose portfolios leave the least mean regret over
  their first `n_warm` picks wins, ties to the narrower). It never looks at the tuned task.
- `pool`: for past tasks that share no configurations (the YAHPO suites, which have no meta-features either), the
  warm start becomes a greedy portfolio of `n_warm` pool configurations, each past task scoring them by its record
  or its own regressor, as zero-shot does; the committed MetaTuner has no warm start there and lets the consensus
  cover the past tasks for its first 3 trials, then weigh them.

- `cpreq`: the two experts (the past tasks' consensus, the adapted surrogate) both trusted out of sample: the
  consensus's rank agreement is computed from the scores it gave each trial before the trial was observed (the
  warm start's trials: its score with the similarity weights alone), as the surrogate's already is; the committed
  MetaTuner scores the consensus on trials its own weights were fitted to, which may crowd the surrogate out.

- `first2` (third round, after scripts/warm_start_offline.py): the warm start's first two proposals by similarity,
  the rest by zero-shot's rank portfolio continued from them (every past task equal); run on rf-grid and rf-wide.

Widths only matter with meta-features, so `wloo` runs on rf-grid and rf-wide and `pool` on lcbench and rbv2_xgboost
(on the others each is the same tuner as `w1`); `cpreq` runs on all four.

Each variant replays every meta-validation task of a suite with the meta-train tasks as experience (MetaTuner's
runs do not depend on the seed: one seed). It never reads a meta-test task. Run files go to
results/design/meta-val-width/<suite>/<variant>.parquet (a finished variant is skipped: an interrupted study
resumes); `--summary` writes results/design/meta-val-width.csv: mean regret after k, each variant minus `w1` and
minus the committed zero-shot runs of results/<suite>/meta-val, with paired 95% bootstrap intervals over tasks.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/meta_val_width.py <suite> [variant,...]
    python scripts/meta_val_width.py --summary
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, math, numpy as np, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import metahpo.metatuner as M
from metahpo.metatuner import MetaTuner, SimilarityPortfolio, greedy_portfolio, default_surrogate
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import summary as design_summary, run_study  # the first round's summary and runner

def _past_matrix(space, past):
    "Past tasks x configurations evaluated on at least half of them (NaN where not evaluated)."
    from metahpo.metatuner import score_matrix
    S, _ = score_matrix(space, past)
    return S[:, (~np.isnan(S)).mean(0) >= 0.5]

def loo_width(S, Z, widths, n):
    "The width (a multiple of the median squared distance; inf = equal weights) whose leave-one-task-out portfolios leave the least mean regret over their first n picks; ties to the narrower."
    if S.shape[1] == 0 or len(S) < 3: return 1.0, {}
    best, worst = np.nanmax(S, 1, keepdims=True), np.nanmin(S, 1, keepdims=True)
    R = np.where(np.isnan(S), 1.0, (best - S) / np.where(best > worst, best - worst, 1.0))
    D2 = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    loss = {}
    for m in widths:
        tot = 0.0
        for i in range(len(S)):
            o = np.delete(np.arange(len(S)), i); d2 = D2[i, o]; h2 = np.median(d2) * m
            w = np.ones(len(o)) if not math.isfinite(m) or h2 <= 0 else np.exp(-d2 / (2 * h2))
            picks = greedy_portfolio(S[o], n, w)
            tot += np.minimum.accumulate(R[i, picks]).mean()
        loss[m] = tot / len(S)
    lo = min(loss.values())
    return next(m for m in widths if loss[m] <= lo + 1e-12), loss

class WidthPortfolio(SimilarityPortfolio):
    width = 1.0
    def weights(self, Z, z):
        d2 = ((Z - z) ** 2).sum(1) if z is not None and Z.shape[1] else np.zeros(len(Z))
        near = np.argsort(d2, kind='stable')[:self.n_similar or len(Z)]
        h2 = np.median(d2[near]) * self.width
        w = np.zeros(len(Z)); w[near] = np.exp(-d2[near] / (2 * h2)) if h2 > 0 and math.isfinite(self.width) else 1.0
        return w, near

WIDTHS = (0.25, 0.5, 1.0, 2.0, 4.0, math.inf)
def make(mf, width, chosen, pool=False):
    fitted = {}
    def f(space, seed, rest, task):
        key = tuple(sorted(rest.task_names))
        if key not in fitted: fitted[key] = default_surrogate(seed=0)
        wd = width
        if width == 'loo':
            if key not in chosen:
                probe = MetaTuner(space, 0, experience=rest, parts=('warm-start',))  # its standardised meta-features
                chosen[key] = loo_width(_past_matrix(space, probe.past), probe._Z, WIDTHS, 5)
                print('  loo width', chosen[key][0], {k: round(v, 4) for k, v in chosen[key][1].items()}, flush=True)
            wd = chosen[key][0]
        cls = type('P', (WidthPortfolio,), dict(width=wd))
        orig = M.SimilarityPortfolio; M.SimilarityPortfolio = cls
        try: mt = MetaTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=fitted[key], n_warm=5)  # the warm start of its time
        finally: M.SimilarityPortfolio = orig
        if pool and mt.past and not _past_matrix(space, mt.past).shape[1]: pool_warm_start(mt)
        return mt
    return f

def pool_warm_start(mt):
    "Past tasks that share no configurations: the warm start covers them over the tuner's pool, each scoring it by its record or its own regressor (as zero-shot does, weighted by similarity where meta-features are known)."
    pool = mt._pool(); S = mt.consensus.scores(pool)
    mt._queue = [pool[j] for j in greedy_portfolio(S, mt.warm.n, mt._prior)]

class CPreq(MetaTuner):
    "The surrogate and the consensus both trusted out of sample: the consensus's score of each trial is the one it gave before the trial was observed (the warm start's trials: its score with the similarity weights alone)."
    def _pick(self, X, y):
        import metahpo.metatuner as MM
        pool = self._pool()
        if self._S is None: self._S = self.consensus.scores(pool)
        free = np.array([k not in self._seen for k in self._pool_keys])
        if not free.any(): return None
        observed = [(self.space.key(c), c) for c, l in self.observations if math.isfinite(l)]
        O = self.consensus.scores([c for _, c in observed]) if observed else None
        score, at_obs = self.consensus.score(self._S, O, y, free)
        if not hasattr(self, '_cb'):  # the trials so far, scored with the similarity weights alone (no trial seen)
            self._cb = {}
            if O is not None:
                w = self.consensus.prior; prior_obs = w @ MM._unit(self._S, O) / w.sum()
                self._cb.update({k: float(v) for (k, _), v in zip(observed, prior_obs)})
        mu = None
        if 'surrogate' in self.parts and len(y) >= 3:
            if not self._fitted: self._fit()
            mu, trust = self._ranker.score(self._z, X, y, [k for k, _ in observed], self._pool_X)
            p = np.array([self._cb.get(k, np.nan) for k, _ in observed]); ok = ~np.isnan(p)
            a_c = max(float(MM._rank_agreement(p[ok][None], y[ok])[0]), 0.0) if ok.sum() >= 3 else 0.0
            a_s = max(trust, 0.0)
            lam = a_s / (a_s + a_c) if a_s + a_c > 0 else 0.0
            self.lams = getattr(self, 'lams', []) + [lam]
            cons = score
            score = (1 - lam) * score + lam * MM._unit(mu[None], mu[None])[0]
        else: cons = score
        score = np.where(free, score, -np.inf)
        j = int(np.argmax(score))
        if mu is not None: self._ranker.chose(self._pool_keys[j], mu[j])
        self._cb.setdefault(self._pool_keys[j], float(cons[j]))
        return self._take(pool[j])

def make_cpreq(mf):
    fitted = {}
    def f(space, seed, rest, task):
        key = tuple(sorted(rest.task_names))
        if key not in fitted: fitted[key] = default_surrogate(seed=0)
        return CPreq(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=fitted[key], n_warm=5)  # the warm start of its time
    return f

def make_first2(mf):
    "The third round's candidate (scripts/warm_start_offline.py): the warm start's first two proposals by similarity, the rest by the zero-shot rank portfolio continued from them."
    from warm_start_offline import VARIANTS as WARM
    fitted = {}
    def f(space, seed, rest, task):
        key = tuple(sorted(rest.task_names))
        if key not in fitted: fitted[key] = default_surrogate(seed=0)
        orig = M.greedy_portfolio; M.greedy_portfolio = WARM['first2']
        try: return MetaTuner(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=fitted[key], n_warm=5)  # the warm start of its time
        finally: M.greedy_portfolio = orig
    return f

VARIANTS = {'w1': (1.0, False), 'wloo': ('loo', False), 'pool': (1.0, True), 'cpreq': None, 'first2': None}

def summary(): return design_summary(study='meta-val-width', base='w1', csv='meta-val-width.csv', seeds=[0])

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary':
        print(summary().pivot_table(index=['suite', 'variant'], columns='k', values='regret').round(4).to_string()); sys.exit()
    names = _args.variants(VARIANTS)
    chosen = {}
    run_study('meta-val-width', sys.argv[1], names, lambda n, mf: make_cpreq(mf) if n == 'cpreq' else make_first2(mf) if n == 'first2'
              else make(mf, *VARIANTS[n][:1], chosen, pool=VARIANTS[n][1]), [0])
