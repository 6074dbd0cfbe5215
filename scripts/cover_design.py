"""Design study of issue 16 (sixth round), on META-VALIDATION tasks and tasks from OUTSIDE the project: after the warm
start, should the past tasks' consensus exploit or keep covering?

After its warm start MetaTuner proposes the pool configuration with the best weighted mean score over the past tasks
(each weighted by similarity x how well it ranks this task's trials): it exploits the consensus. Zero-shot, ahead of
it on some meta-validation tasks after 10 evaluations, keeps covering: each proposal is the one that most improves
the best-so-far of the past tasks at large. `cover` keeps MetaTuner's weights and its surrogate but lets the consensus
score each candidate by how much it improves the weighted past tasks' best so far (scaled to [0, 1] over the free
candidates, so that the surrogate mixes in as before); once no free candidate improves any weighted task, it
exploits as now. `base` is the committed MetaTuner. `learned` (added after the fifth round's rule picked the learned
distance on the outside tables) is the committed MetaTuner with `similarity='learned'`: the whole tuner, not only its
warm start, on the views with meta-features (rf-grid, rf-wide, lstm, text, image, outside; on lcbench and
rbv2_xgboost it is `base`); it is judged by the same rule as `cover`.

Views: each suite's meta-validation tasks with its meta-train tasks as experience (results/design/cover/<suite>/),
and rf-grid's outside tasks (scripts/outside_tasks.py) with the meta-train and meta-validation tasks as experience
(results/design/cover/outside/). One seed: MetaTuner's runs on finite candidate sets do not depend on it. It never
reads a meta-test task. The rule, fixed before the runs: `cover` is adopted if its interval against `base` lies above
zero on no view at any k, and below zero on at least two views after 5, 10 or 25. `--summary` writes
results/design/cover.csv: mean regret after k per variant and `cover` minus `base` with a paired 95% bootstrap
interval over tasks.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/cover_design.py <suite|outside> [variant,...]
    python scripts/cover_design.py --summary
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.metatuner import MetaTuner, PastConsensus, default_surrogate, _unit
from metahpo.benchmark import run_benchmark, paired_differences, task_regret
from functools import partial
paired_differences = partial(paired_differences, exact=False)  # the interval alone: the rule the design rounds were decided by, and their files' columns
from metahpo.experience import Experience
from metahpo.suites import SUITES, get_suite
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import meta_val_setup

ROOT = Path(__file__).resolve().parents[1] / 'results' / 'design'
SUITES = ('rf-grid', 'rf-wide', 'lcbench', 'rbv2_xgboost', 'lstm', 'text', 'image', 'outside')

class CoverConsensus(PastConsensus):
    "The consensus scoring candidates by how much they improve the weighted past tasks' best so far, throughout."
    def score(self, S, O, y, free=None):
        w = self.weights(O, y) if O is not None else self.prior
        U = _unit(S, S)
        covered = _unit(S, O).max(1) if O is not None else np.zeros(len(S))
        gain = w @ np.maximum(U - covered[:, None], 0) / w.sum()
        obs = w @ _unit(S, O) / w.sum() if O is not None else None
        top = gain[slice(None) if free is None else free].max()
        return (gain / top if top > 0 else w @ U / w.sum()), obs

class Cover(MetaTuner):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.past: self.consensus = CoverConsensus(self.space, self.past, self._prior)

class Learned(MetaTuner):
    def __init__(self, *a, **kw): super().__init__(*a, similarity='learned', **kw)

VARIANTS = {'base': MetaTuner, 'cover': Cover, 'learned': Learned}

def factory(cls, mf, new_surrogate=lambda: default_surrogate(seed=0), **kw):
    "A benchmark tuner factory of `cls` (keyword arguments `kw`) whose surrogate, from `new_surrogate()`, is meta-trained once per set of past tasks; five warm-start proposals unless `n_warm` is given, the design every round up to the ninth ran (and reran) with."
    kw.setdefault('n_warm', 5)
    fitted = {}
    def make(space, seed, rest, task):
        key = tuple(n for n in rest.task_names if n != task)
        sur = fitted.get(key) or new_surrogate()
        t = cls(space, seed, experience=rest, task=task, meta_features=mf.get(task), surrogate=sur, **kw); fitted[key] = sur
        return t
    return make

def setup(view):
    "A view's tasks, the tuned ones, the experience they learn from, every task's meta-features and the budget: a suite's meta-validation tasks, '<suite>-train' (its meta-train tasks, each with the others as experience) or 'outside'."
    _args.view(view, [*SUITES, *(f'{s}-train' for s in SUITES if s != 'outside')])  # 'outside' is a suite's name and the outside tables' view
    if view.endswith('-train'):
        ex, _, past, mf = meta_val_setup(view[:-len('-train')])
        return ex, past.task_names, past, mf, get_suite(view[:-len('-train')]).budget
    if view == 'outside':
        from similarity_design import outside_view
        out, learn = outside_view()
        both = Experience(list(learn) + list(out))
        return both, out.task_names, learn, {e.task.name: e.task.meta_features for e in both}, get_suite('rf-grid').budget
    ex, tuned, past, mf = meta_val_setup(view)
    return ex, tuned, past, mf, get_suite(view).budget

def run(view, names):
    ex, tuned, past, mf, budget = setup(view)
    d = ROOT / 'cover' / view; d.mkdir(parents=True, exist_ok=True)
    for n in names:
        f = d / f'{n}.parquet'
        if f.exists(): continue
        t0 = time.time()
        r = run_benchmark(ex, {n: factory(VARIANTS[n], mf)}, budget=budget, seeds=[0], tasks=tuned, past=past, progress=False)
        r.to_parquet(f); print(view, n, f'{time.time() - t0:.0f}s', flush=True)

def summary():
    rows, ks = [], [1, 3, 5, 10, 25]
    for d in sorted((ROOT / 'cover').iterdir()):
        res = pd.concat([pd.read_parquet(f) for f in sorted(d.glob('*.parquet'))])
        for v in sorted(set(res.tuner) - {'base'}):
            r = res[res.tuner.isin(['base', v])]
            p = paired_differences(r, v, ks=ks)
            for k in ks:
                m = task_regret(r, k).mean()
                q = p[(p.k == k) & (p.other == 'base')].iloc[0]
                rows.append(dict(view=d.name, variant=v, k=k, n_tasks=r.task.nunique(), base=m['base'], regret=m[v],
                                 vs_base=q['diff'], vs_base_lo=q.lo, vs_base_hi=q.hi))
    out = pd.DataFrame(rows); out.to_csv(ROOT / 'cover.csv', index=False, float_format='%.5f')
    print(out.round(4).to_string())
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary': summary(); sys.exit()
    run(sys.argv[1], _args.variants(VARIANTS))
