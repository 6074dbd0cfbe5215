"""Design study of issue 16 (ninth round), on META-TRAIN and META-VALIDATION tasks and tasks from OUTSIDE the project: a
surrogate that adapts to a new task through a meta-learned task context (CAVIA's design), not through its weights.

MetaTuner's surrogate adapts to a new task by a few SGD steps on all of its network weights; from five to twenty trials
they barely move (every earlier round: `meta` minus `meta-past` is zero at almost every k), and on lcbench and
rbv2_xgboost, which have no meta-features, the network cannot tell one past task from another at all. CAVIA (Zintgraf
et al. 2019, "Fast context adaptation via meta-learning") gives the network a few extra inputs, a *context* that starts
at zero on every task and is the part the inner loop adapts, at a high learning rate; meta-training (here Reptile or
first-order MAML, as the issue asks) teaches the shared weights to read task identity from it. On a new task the
context is fitted to the trials: a handful of numbers from a handful of trials, not thousands of weights. Here the
inner loop adapts the context (from zero, at `context_lr`) beside the weights (at the inner rate, as now), in
meta-training and in adaptation alike: the adaptation the network was meta-trained for.

Variants, each the committed MetaTuner with one change: `ctx` (its surrogate with a 4-number context, Reptile),
`ctx-fomaml` (first-order MAML), `ctx-none` (no meta-training: the network and its context fitted to the task's own
trials only); `nosur` is MetaTuner without its surrogate, `base` the committed MetaTuner, both rerun here.

1. `--rates` (META-TRAIN tasks only, a seeded fifth of each suite's held out as in the seventh round): the median
   Spearman correlation of a held-out task's other trials with each model's scores after five of its trials, for the
   committed surrogate, the context surrogate at context rates 0.1, 0.5 and 2.0, and the past tasks' consensus
   (weighted as MetaTuner weighs it after five trials). It picks the context rate for the runs: the best pooled over the
   suites after five trials (results/design/context-rates.csv).
2. `<view> [variant,...]` runs the variants on a view: each suite's meta-validation tasks (meta-train as experience) or
   the outside tables (scripts/outside_tasks.py; rf-grid's meta-train and meta-validation as experience); one seed
   (MetaTuner's runs on finite candidate sets do not depend on it). It never reads a meta-test task.
3. `--summary` writes results/design/context.csv: mean regret after k per variant, each variant minus `base` and minus
   `nosur` (the `warm3` variants also minus `warm3-nosur`), paired 95% bootstrap intervals over tasks.

`stack`, `stack-fomaml`, `stack-none` (added after the context surrogate's check, before any view ran): MetaTuner whose
surrogate reads, besides a configuration, what the past tasks say of it (`source_features`: their similarity-weighted
mean standardised score, mean, spread and quantiles; on a past task during meta-training, what the *other* past tasks
say), meta-trained by Reptile, by first-order MAML, or fitted to the task's own trials only. In the `--rates` check the
context surrogate ranked a held-out task's trials worse than the committed surrogate on every suite, and the
consensus ranked them best: a surrogate that starts from the consensus's information can add to it.

`warm3`, `warm3-nosur`, `warm3-stack` (added after the first views had run `ctx` and `stack`: every variant made the
same first five proposals as `base`, the five of its warm start, so the surrogate decides at most five of the first ten
evaluations): the warm start cut to three proposals, the fewest after which the consensus weighs the past tasks by this
task's trials and the surrogate joins, with the committed surrogate, without it, and with the stacking surrogate.

The rule, fixed before the runs (the sixth and seventh rounds'): a variant (`ctx`, `stack`, `warm3`, `warm3-stack`) replaces the default if its interval
against `base` lies above zero on no view at any k, and below zero on at least two views after 5, 10 or 25.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/context_design.py --rates
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/context_design.py <suite|outside> [variant,...]
    python scripts/context_design.py --summary
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, copy, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np
from scipy.stats import spearmanr
from metahpo.core import make_rng
from metahpo.experience import Experience, standardise_scores
from metahpo.reptile import make_net, _meta_setup, _stacked, _forward, _loss_fn, _support_query
from metahpo.surrogate import MetaSurrogate, _threads
from metahpo.metatuner import MetaTuner, default_surrogate, _unit
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
from meta_val_design import meta_val_setup
import rank_design

OUT = ROOT / 'context'
RATES = (0.1, 0.5, 2.0)
CONTEXT_LR = 0.1  # picked by `--rates` (meta-train tasks only) before any view ran: the best of RATES pooled over the suites

def _with_context(x, ctx):
    "x (copies, rows, inputs) followed by each copy's context (copies, k) on every row."
    import torch
    return torch.cat([x, ctx.unsqueeze(1).expand(-1, x.shape[1], -1)], -1)

def _ctx_sgd(params, data, steps, lr, batch, gen, k, context_lr, loss='mse'):
    "The library's batched inner loop, each copy also adapting a k-number context from zero at `context_lr`."
    import torch
    f, ctx = _loss_fn(loss), torch.zeros(len(params[0]), k, requires_grad=True)
    for _ in range(steps):
        idx = [torch.randint(len(x), (batch,), generator=gen) for x, _ in data]
        xb = torch.stack([x[i] for (x, _), i in zip(data, idx)]); yb = torch.stack([y[i] for (_, y), i in zip(data, idx)])
        grads = torch.autograd.grad(f(_forward(params, _with_context(xb, ctx)), yb).sum(), params + [ctx])
        params = [(p - lr * g).detach().requires_grad_() for p, g in zip(params, grads[:-1])]
        ctx = (ctx - context_lr * grads[-1]).detach().requires_grad_()
    return params, ctx

def ctx_reptile(net, tasks, meta_steps=300, inner_steps=8, inner_lr=0.05, meta_lr=1.0, tasks_per_step=4, batch=16, seed=0,
                loss='mse', k=4, context_lr=CONTEXT_LR):
    "Reptile whose inner loop adapts a context beside the weights; the meta-weights move toward the adapted weights."
    import torch
    gen, rng, data = _meta_setup(tasks, seed)
    for it in range(meta_steps):
        eps = meta_lr * (1 - it / meta_steps)
        ks = rng.choice(len(data), size=min(tasks_per_step, len(data)), replace=False)
        fast, _ = _ctx_sgd(_stacked(net, len(ks)), [data[j] for j in ks], inner_steps, inner_lr, batch, gen, k, context_lr, loss)
        with torch.no_grad():
            for p, pf in zip(net.parameters(), fast): p += eps * (pf.mean(0) - p)
    return net

def ctx_fomaml(net, tasks, meta_steps=300, inner_steps=8, inner_lr=0.05, meta_lr=0.01, tasks_per_step=4, batch=16, seed=0,
               loss='mse', k=4, context_lr=CONTEXT_LR):
    "First-order MAML whose inner loop adapts a context beside the weights on a support half; the query-half gradient at the adapted weights and context steps the meta-weights."
    import torch
    f = _loss_fn(loss)
    gen, rng, data = _meta_setup(tasks, seed)
    outer = torch.optim.Adam(net.parameters(), lr=meta_lr)
    for it in range(meta_steps):
        ks = rng.choice(len(data), size=min(tasks_per_step, len(data)), replace=False)
        support, query = _support_query(data, ks, gen)
        fast, ctx = _ctx_sgd(_stacked(net, len(ks)), support, inner_steps, inner_lr, batch, gen, k, context_lr, loss)
        total = sum(f(_forward([p[j:j + 1] for p in fast], _with_context(x.unsqueeze(0), ctx[j:j + 1]))[0], y) for j, (x, y) in enumerate(query))
        grads = torch.autograd.grad(total, fast)
        outer.zero_grad()
        for p, g in zip(net.parameters(), grads): p.grad = g.mean(0)
        outer.step()
    return net

LEARNERS = {'reptile': ctx_reptile, 'fomaml': ctx_fomaml, 'none': lambda net, tasks, *a, **kw: net}

class ContextSurrogate(MetaSurrogate):
    "MetaSurrogate whose networks take a k-number task context besides configuration and meta-features, adapted from zero on every task."
    def __init__(self, *a, context:int=4, context_lr:float=CONTEXT_LR, **kw):
        super().__init__(*a, **kw); self.context, self.context_lr = context, context_lr

    def _train(self, tasks):
        lr = self.meta_lr if self.meta_lr is not None else (1.0 if self.algorithm == 'reptile' else 0.01)
        with _threads(1):
            return [LEARNERS[self.algorithm](make_net(self.d_ + self.m_ + self.context, self.hidden, self.depth, self.seed * 1000 + i), tasks,
                                             self.meta_steps, self.inner_steps, self.inner_lr, lr, self.tasks_per_step, self.batch,
                                             self.seed * 1000 + i, loss=self.loss, k=self.context, context_lr=self.context_lr)
                    for i in range(self.n_members)]

    def _inputs(self, X, z):
        import torch
        X = np.asarray(X, np.float32)
        return torch.from_numpy(np.hstack([X, np.broadcast_to(np.asarray(z, np.float32), (len(X), len(z)))]))

    def adapt(self, X, y, z):
        X, z = self._check(X, z); y = np.asarray(y, float)
        import torch
        zero = torch.zeros(self.context)
        if len(y) < 2: self.adapted_ = [(net, zero) for net in self.members_]; return self
        inp, target = self._inputs(X, z), torch.from_numpy(standardise_scores(y).astype(np.float32))
        gen = torch.Generator().manual_seed(self.seed)
        steps, lr = (self.scratch_steps, self.inner_lr) if self.algorithm == 'none' else (self.adapt_steps, self.adapt_lr)
        f = _loss_fn(self.loss)
        with _threads(1):
            self.adapted_ = []
            for net in self.members_:
                fast, ctx = copy.deepcopy(net), torch.zeros(self.context, requires_grad=True)
                opt = torch.optim.SGD([{'params': fast.parameters()}, {'params': [ctx], 'lr': self.context_lr}], lr=lr)
                for _ in range(steps):
                    idx = torch.randint(len(inp), (min(self.batch, len(inp)),), generator=gen)
                    x = torch.cat([inp[idx], ctx.expand(len(idx), -1)], 1)
                    opt.zero_grad(); f(fast(x).squeeze(-1), target[idx]).backward(); opt.step()
                self.adapted_.append((fast, ctx.detach()))
        return self

    def _ensemble(self, X, z):
        X, z = self._check(X, z)
        import torch
        if self.adapted_ is self.members_: self.adapted_ = [(net, torch.zeros(self.context)) for net in self.members_]
        inp = self._inputs(X, z)
        with torch.no_grad(), _threads(1):
            P = np.stack([net(torch.cat([inp, c.expand(len(inp), -1)], 1)).squeeze(-1).numpy() for net, c in self.adapted_])
        return P.mean(0), P.std(0)

def context_surrogate(algorithm='reptile', context_lr=CONTEXT_LR, seed=0):
    "The committed default surrogate's settings (members, meta-steps, adaptation as meta-training's inner loop) with a 4-number context."
    base = default_surrogate(algorithm, seed=seed)
    s = ContextSurrogate(**base.get_params(), context=4, context_lr=context_lr)
    s.adapt_steps, s.adapt_lr = s.inner_steps, s.inner_lr
    return s

def source_features(S:np.ndarray, w:np.ndarray) -> np.ndarray:
    "Per configuration (columns of S: past tasks x configurations, standardised scores), what the past tasks say of it: their similarity-weighted mean, mean, spread and 10/50/90% quantiles."
    W = np.asarray(w, float) / max(float(np.sum(w)), 1e-12)
    return np.column_stack([W @ S, S.mean(0), S.std(0), *np.quantile(S, [0.1, 0.5, 0.9], axis=0)])

def stacked_tasks(tuner:MetaTuner) -> list:
    "The tuner's past tasks as the stacking surrogate meta-trains on them: each configuration followed by what the *other* past tasks say of it (each weighted by its similarity to this one)."
    from metahpo.metatuner import PastConsensus
    from metahpo.reptile import MetaTask
    out, Z = [], tuner._Z
    for i, e in enumerate(tuner.past):
        rest = [j for j in range(len(tuner.past)) if j != i]
        w = tuner.warm.weights(Z[rest], Z[i] if Z.shape[1] else None)[0]
        S = PastConsensus(e.space, [tuner.past[j] for j in rest], w).scores(e.configs)  # in the past task's own space: a benchmark's space holds only its target's candidates
        out.append(MetaTask(np.hstack([e.X, source_features(S, w)]), e.scores, Z[i] if Z.shape[1] else np.zeros(0), e.name))
    return out

class Stacked(MetaTuner):
    "MetaTuner whose surrogate reads, besides a configuration, what the past tasks say of it (`source_features`), and is meta-trained to turn that into this task's score."
    def _augment(self, configs, X):
        return np.hstack([X, source_features(self.consensus.scores(configs), self._prior)]) if len(configs) else np.zeros((0, X.shape[1] + 6))
    def past_tasks(self): return stacked_tasks(self)
    def _obs(self):
        X, y = super()._obs()
        return self._augment([c for c, l in self.observations if np.isfinite(l)], X), y
    def _pool(self):
        first = self._pool_ is None
        pool = super()._pool()
        if first: self._pool_X = self._augment(pool, self._pool_X)
        return pool

VARIANTS = {'base': {}, 'nosur': dict(parts=('warm-start', 'consensus')),
            'ctx': dict(new_surrogate=lambda: context_surrogate('reptile')),
            'ctx-fomaml': dict(new_surrogate=lambda: context_surrogate('fomaml')),
            'ctx-none': dict(new_surrogate=lambda: context_surrogate('none')),
            'stack': dict(cls=Stacked), 'stack-fomaml': dict(cls=Stacked, new_surrogate=lambda: default_surrogate('fomaml', seed=0)),
            'stack-none': dict(cls=Stacked, new_surrogate=lambda: default_surrogate('none', seed=0)),
            'warm3': dict(n_warm=3), 'warm3-nosur': dict(n_warm=3, parts=('warm-start', 'consensus')),
            'warm3-stack': dict(cls=Stacked, n_warm=3)}

def rates(suites=('rf-grid', 'rf-wide', 'lcbench', 'rbv2_xgboost'), n_observed=5):
    "On each suite's meta-train tasks (a fifth held out, seeded as in the seventh round): median Spearman with a held-out task's other trials after `n_observed` of them, per model."
    rows = []
    for s in suites:
        _, _, past, mf = meta_val_setup(s)
        evals = [e for e in past if len(e)]
        held = set(make_rng(11).choice(len(evals), size=max(3, len(evals) // 5), replace=False).tolist())
        train = [e for i, e in enumerate(evals) if i not in held]
        models = {'committed': default_surrogate(seed=0)}
        models.update({f'context {r}': context_surrogate('reptile', r) for r in RATES})
        tuner = MetaTuner(train[0].space, 0, experience=Experience(train))
        tasks = tuner.past_tasks()
        for m in models.values(): m.fit(tasks)
        stacks = {f'stack {a}': default_surrogate(a, seed=0) for a in ('reptile', 'fomaml', 'none')}
        st = stacked_tasks(tuner)
        for m in stacks.values(): m.fit(st)
        got = {n: [] for n in [*models, *stacks, 'consensus']}
        for i in sorted(held):
            e = evals[i]
            t = MetaTuner(e.space, 0, experience=Experience(train), meta_features=mf.get(e.name), parts=('warm-start', 'consensus'))
            z, y = t._z, np.asarray(e.scores, float)
            obs = make_rng(5).choice(len(y), n_observed, replace=False); rest = np.setdiff1d(np.arange(len(y)), obs)
            for n, m in models.items():
                got[n].append(spearmanr(m.adapt(e.X[obs], y[obs], z).predict(e.X[rest], z)[0], y[rest]).statistic)
            O = t.consensus.scores(e.configs)  # sources x every trial of the task
            Xa = np.hstack([e.X, source_features(O, t._prior)])
            for n, m in stacks.items():
                got[n].append(spearmanr(m.adapt(Xa[obs], y[obs], z).predict(Xa[rest], z)[0], y[rest]).statistic)
            w = t.consensus.weights(O[:, obs], y[obs])
            got['consensus'].append(spearmanr((w @ _unit(O, O))[rest], y[rest]).statistic)
        for n, v in got.items():
            rows.append(dict(suite=s, model=n, n_train=len(train), n_held=len(held), spearman=float(np.nanmedian(v))))
        print(s, {n: round(float(np.nanmedian(v)), 3) for n, v in got.items()}, flush=True)
    return rank_design.spearman_table(rows, ROOT / 'context-rates.csv', 'model')

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--rates': rates(); sys.exit()
    if sys.argv[1] == '--summary':
        rank_design.summary(folder=OUT, csv=ROOT / 'context.csv', refs=lambda v: ('base', 'nosur') + (('warm3-nosur',) if v.startswith('warm3') else ())); sys.exit()
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
