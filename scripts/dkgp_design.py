"""Design study of issue 16 (fourth round), on META-VALIDATION tasks only: a deep-kernel Gaussian process as the
meta-learned surrogate (FSBO's design, Wistuba & Grabocka 2021), meta-trained with Reptile or first-order MAML.

MetaTuner's surrogate today is an ensemble of small networks meta-trained by Reptile and adapted with a few SGD steps;
on every suite's meta-test the tuner with it and without it make the same decisions (meta minus meta-past is zero).
A few SGD steps on five to twenty trials barely move a network; a Gaussian process conditions on every trial exactly.
Here the network becomes the GP's feature extractor: the kernel is k(x, x') = s * exp(-|phi(x) - phi(x')|^2 / 2l^2)
plus noise, and phi, s, l and the noise are meta-trained across past tasks on the GP's marginal likelihood (Reptile:
a few Adam steps on one task's batch, the weights moved toward the adapted ones; FO-MAML: the query half's gradient
at the weights adapted on the support half; none: phi left at its random initialisation and fitted to the new task's
trials alone). On a new task the kernel's hyperparameters are fine-tuned on its trials (a few Adam steps) and the GP
posterior gives mean and spread.

Variants (each the committed MetaTuner with one change; names as in the CSV):
- `base`: the committed MetaTuner (every strategy, the network-ensemble surrogate).
- `dkgp`: the deep-kernel GP (Reptile) as the surrogate in the committed duo (mixed with the consensus by the two
  experts' out-of-sample rank agreements).
- `dkgp-ei`: warm start, then expected improvement under the deep-kernel GP alone (FSBO's loop; no consensus).
- `dkgp-fomaml-ei`, `dkgp-none-ei`: the same with FO-MAML, and with no meta-training.
- `dkgp-res`, `dkgp-none-res`: warm start and the consensus's first trials as committed; then expected improvement
  under a posterior whose prior mean is the consensus (its score mapped to this task's scores by least squares) and
  whose deep-kernel GP (Reptile; no meta-training) models this task's residuals from it.

Each variant replays every meta-validation task of a suite (one seed: MetaTuner's runs do not depend on it) with the
meta-train tasks as experience. It never reads a meta-test task. Run files go to
results/design/meta-val-dkgp/<suite>/<variant>.parquet (a finished variant is skipped); `--summary` writes
results/design/meta-val-dkgp.csv (mean regret after k; each variant minus `base` and minus the committed zero-shot
runs, paired 95% bootstrap intervals over tasks).

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/dkgp_design.py <suite> [variant,...]
    python scripts/dkgp_design.py --summary
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, time, math, copy, numpy as np, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import torch
from metahpo.core import make_rng
from metahpo.experience import standardise_scores
from metahpo.metatuner import MetaTuner, default_surrogate
from metahpo.reptile import make_net
from metahpo.surrogate import expected_improvement
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import summary as design_summary, run_study

class _DK(torch.nn.Module):
    "phi: a tanh network of the encoded configuration; the kernel's log scale, log length and log noise."
    def __init__(self, d, hidden=32, depth=2, seed=0):
        super().__init__()
        self.phi = make_net(d, hidden, depth, seed)[:-1]  # the surrogate's tanh network without its output layer
        self.log_s, self.log_l, self.log_n = (torch.nn.Parameter(torch.tensor(v)) for v in (0.0, math.log(math.sqrt(hidden)), math.log(0.1)))

    def K(self, A, B):
        fa, fb = self.phi(A), self.phi(B)
        return torch.exp(self.log_s) * torch.exp(-torch.cdist(fa, fb) ** 2 / (2 * torch.exp(2 * self.log_l)))

    def nll(self, X, y):
        "Negative log marginal likelihood per point."
        L = self._chol(X)
        a = torch.cholesky_solve(y[:, None], L)
        return (0.5 * (y[:, None] * a).sum() + torch.log(torch.diagonal(L)).sum()) / len(y) + 0.5 * math.log(2 * math.pi)

    def _chol(self, X):
        "Cholesky factor of the kernel matrix of X plus the noise."
        return torch.linalg.cholesky(self.K(X, X) + (torch.exp(self.log_n) + 1e-4) * torch.eye(len(X)))

    def posterior(self, X, y, Xs):
        L = self._chol(X); Ks = self.K(X, Xs)
        mu = (Ks * torch.cholesky_solve(y[:, None], L)).sum(0)
        v = torch.cholesky_solve(Ks, L)
        var = torch.exp(self.log_s) - (Ks * v).sum(0)
        return mu, torch.sqrt(torch.clamp(var, min=1e-8))

def _steps(model, X, y, steps, lr, batch, gen):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        idx = torch.randperm(len(y), generator=gen)[:batch] if len(y) > batch else torch.arange(len(y))
        opt.zero_grad()
        try: model.nll(X[idx], y[idx]).backward()
        except RuntimeError: return  # not positive definite: keep the last weights
        opt.step()

class DeepKernelGP:
    "A GP on standardised scores with a meta-trained deep kernel; MetaSurrogate's interface (fit, adapt, predict)."
    df_ = math.inf
    def __init__(self, algorithm='reptile', hidden=32, depth=2, meta_steps=300, inner_steps=5, inner_lr=0.01, meta_lr=None,
                 tasks_per_step=4, batch=32, adapt_steps=10, adapt_lr=0.01, scratch_steps=100, min_std=0.05, seed=0):
        self.algorithm, self.hidden, self.depth, self.meta_steps, self.inner_steps, self.inner_lr = algorithm, hidden, depth, meta_steps, inner_steps, inner_lr
        self.meta_lr = meta_lr if meta_lr is not None else (1.0 if algorithm == 'reptile' else 0.01)
        self.tasks_per_step, self.batch, self.adapt_steps, self.adapt_lr, self.scratch_steps, self.min_std, self.seed = tasks_per_step, batch, adapt_steps, adapt_lr, scratch_steps, min_std, seed

    def fit(self, tasks):
        t0 = time.perf_counter(); self.d_ = tasks[0].X.shape[1]; self.m_ = len(tasks[0].z)
        torch.set_num_threads(1)
        net = _DK(self.d_, self.hidden, self.depth, self.seed); gen = torch.Generator().manual_seed(self.seed); rng = make_rng(self.seed)
        data = [(torch.tensor(t.X, dtype=torch.float64), torch.tensor(t.y, dtype=torch.float64)) for t in tasks if len(t.y) >= 4]
        net = net.double()
        if self.algorithm == 'reptile':
            for it in range(self.meta_steps):
                eps = self.meta_lr * (1 - it / self.meta_steps)
                ks = rng.choice(len(data), size=min(self.tasks_per_step, len(data)), replace=False)
                acc = [torch.zeros_like(p) for p in net.parameters()]
                for k in ks:
                    fast = copy.deepcopy(net); _steps(fast, *data[k], self.inner_steps, self.inner_lr, self.batch, gen)
                    for a, pf in zip(acc, fast.parameters()): a += pf.detach() / len(ks)
                with torch.no_grad():
                    for p, a in zip(net.parameters(), acc): p += eps * (a - p)
        elif self.algorithm == 'fomaml':
            outer = torch.optim.Adam(net.parameters(), lr=self.meta_lr)
            for it in range(self.meta_steps):
                ks = rng.choice(len(data), size=min(self.tasks_per_step, len(data)), replace=False)
                grads = [torch.zeros_like(p) for p in net.parameters()]
                for k in ks:
                    X, y = data[k]; perm = torch.randperm(len(y), generator=gen); h = len(y) // 2
                    fast = copy.deepcopy(net); _steps(fast, X[perm[:h]], y[perm[:h]], self.inner_steps, self.inner_lr, self.batch, gen)
                    q = perm[h:][:self.batch]
                    try: g = torch.autograd.grad(fast.nll(X[q], y[q]), list(fast.parameters()))
                    except RuntimeError: continue
                    for a, gi in zip(grads, g): a += gi / len(ks)
                outer.zero_grad()
                for p, g in zip(net.parameters(), grads): p.grad = g
                outer.step()
        self.members_ = [net]; self.net_ = net; self.adapted_ = net; self._obs = None
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def adapt(self, X, y, z):
        X = torch.tensor(np.atleast_2d(X), dtype=torch.float64); y = np.asarray(y, float)
        if len(y) < 2: self.adapted_, self._obs = self.net_, None; return self
        yt = torch.tensor(standardise_scores(y), dtype=torch.float64)
        fast = copy.deepcopy(self.net_); gen = torch.Generator().manual_seed(self.seed)
        steps = self.scratch_steps if self.algorithm == 'none' else self.adapt_steps
        torch.set_num_threads(1); _steps(fast, X, yt, steps, self.adapt_lr, 10 ** 6, gen)
        self.adapted_, self._obs = fast, (X, yt)
        return self

    def predict(self, X, z):
        Xs = torch.tensor(np.atleast_2d(X), dtype=torch.float64)
        with torch.no_grad():
            if self._obs is None:
                return np.zeros(len(Xs)), np.full(len(Xs), max(float(torch.exp(self.adapted_.log_s)) ** 0.5, self.min_std))
            try: mu, sd = self.adapted_.posterior(*self._obs, Xs)
            except RuntimeError: mu, sd = self.net_.posterior(*self._obs, Xs)
        return mu.numpy(), np.maximum(sd.numpy(), self.min_std)

class ResidualGP(MetaTuner):
    "dkgp-res: after the consensus's first trials, expected improvement under the consensus as the prior mean and the deep-kernel GP fitted to this task's residuals from it."
    def _pick(self, X, y):
        if len(y) < self.consensus.min_trials: return super()._pick(X, y)
        pool = self._pool()
        if self._S is None: self._S = self.consensus.scores(pool)
        free = np.array([k not in self._seen for k in self._pool_keys])
        if not free.any(): return None
        observed = [c for c, l in self.observations if math.isfinite(l)]
        O = self.consensus.scores(observed)
        m_pool, m_obs = self.consensus.score(self._S, O, y, free)
        ys = standardise_scores(y)
        A = np.stack([m_obs, np.ones_like(m_obs)], 1); a, b = np.linalg.lstsq(A, ys, rcond=None)[0]
        if a < 0: a, b = 0.0, float(ys.mean())
        r = ys - (a * m_obs + b)
        if not self._fitted: self._fit()
        self.surrogate.adapt(X, r, self._z)
        mu_r, sd_r = self.surrogate.predict(self._pool_X, self._z)
        sr = r.std() if r.std() > 1e-9 else 1.0
        mu, sd = a * m_pool + b + r.mean() + sr * mu_r, sr * sd_r
        ei = expected_improvement(mu, np.maximum(sd, 1e-6), ys.max())
        return self._take(pool[int(np.argmax(np.where(free, ei, -np.inf)))])

VARIANTS = {'base': (None, None), 'dkgp': ('reptile', None), 'dkgp-ei': ('reptile', ('warm-start', 'surrogate')),
            'dkgp-fomaml-ei': ('fomaml', ('warm-start', 'surrogate')), 'dkgp-none-ei': ('none', ('warm-start', 'surrogate')),
            'dkgp-res': ('reptile', 'res'), 'dkgp-none-res': ('none', 'res')}

def make(mf, algorithm, parts):
    fitted = {}
    def f(space, seed, rest, task):
        key = tuple(sorted(rest.task_names))
        if key not in fitted: fitted[key] = default_surrogate(seed=0) if algorithm is None else DeepKernelGP(algorithm, seed=0)
        kw = {} if parts in (None, 'res') else dict(parts=parts)
        return (ResidualGP if parts == 'res' else MetaTuner)(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=fitted[key], **kw)
    return f

def summary(): return design_summary(study='meta-val-dkgp', base='base', csv='meta-val-dkgp.csv', seeds=[0])

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary':
        print(summary().pivot_table(index=['suite', 'variant'], columns='k', values='regret').round(4).to_string()); sys.exit()
    names = _args.variants(VARIANTS)
    run_study('meta-val-dkgp', sys.argv[1], names, lambda n, mf: make(mf, *VARIANTS[n]), [0])
