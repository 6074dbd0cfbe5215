"""MetaTuner without experience, on continuous and mixed spaces: what a user gets on a space the experience never saw.

Where no past task was tuned in the space, MetaTuner proposes `n_random_init` random configurations and then, by
default, by expected improvement under a Gaussian process fitted to the task's own trials (`no_experience='gp'`);
`no_experience='surrogate'` fits the surrogate to them instead (MetaTuner's only way before). This benchmark tunes
cheap synthetic functions with known optima, each `--budget` trials under `--seeds` seeds: random search, Optuna's TPE
(the `tpe` peer), MetaTuner (`meta`, the Gaussian process) and `meta-surrogate`. Regret is the function's value at the
best trial so far minus its optimum, divided by (the median of the function over 1,000 random configurations, seed 0,
minus its optimum): 1 is a typical random configuration, 0 the optimum, so that functions of different scale average.

The Gaussian process was chosen on a three-dimensional bowl and on a user's mixed synthetic family (learning rate on
a log scale, depth, dropout and an optimiser; four tasks of it, noisy, scored by their noise-free value), where the
surrogate kept proposing corners: they run here too, as `design-*`, reported apart and in no pooled verdict. The
functions the verdicts read are others (Branin, Hartmann 3 and 6, Rosenbrock on four dimensions, and a mixed space of a log-scale float, an integer
and a categorical). Beside them, the seed plan's four 27-point grids replayed from their committed evaluations
(results/seed/seed_grids.parquet, the CPU profiles: `grid-titanic`, `grid-electricity`, `grid-imdb`, `grid-cifar10`;
accuracy maximised, the electricity MSE minimised): small finite spaces, where a study ends after 27 trials.

    PYTHONPATH=. python scripts/no_experience_benchmark.py              # runs (resumable), then the summary
    PYTHONPATH=. python scripts/no_experience_benchmark.py --summary    # the summary alone, from runs.csv
    PYTHONPATH=. python scripts/no_experience_benchmark.py --latency    # ask time against trials told (latency.csv; run it on an idle machine)

Writes results/no_experience/runs.csv (one row per function, tuner, seed and k: the best value so far, by its
noise-free value where the function is noisy, and the tuner's milliseconds per trial; a study that ends before the
budget, on a 27-point grid, keeps its best to the budget), summary.csv (mean regret after k per function and tuner,
over seeds) and paired.csv (meta minus each other tuner after k: per function over its seeds, and pooled over the
test functions with seeds averaged per function, as the benchmark page pools tasks: the mean difference, a 95%
bootstrap interval and a paired sign-flip test over those units, as `metahpo.benchmark.paired_differences` gives them;
a verdict needs both). A run resumes only with the
budget it began with.
"""
import argparse, json, math, os, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from metahpo.space import SearchSpace, Float, Int, Categorical, get_space
from metahpo.tuners import tune, RandomSearch
from metahpo.metatuner import MetaTuner
from metahpo.peers import make_peer
from metahpo.benchmark import paired_differences

OUT = ROOT / 'results' / 'no_experience'
KS = (5, 10, 20, 30)

def branin(c):
    x1, x2 = c['x1'], c['x2']
    return (x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10

_H3 = (np.array([1.0, 1.2, 3.0, 3.2]), np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]),
       1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]))
_H6 = (np.array([1.0, 1.2, 3.0, 3.2]), np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]),
       1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]))

def hartmann(alpha, A, P):
    def f(c):
        x = np.array([c[f'x{i}'] for i in range(A.shape[1])])
        return float(-(alpha * np.exp(-(A * (x - P) ** 2).sum(1))).sum())
    return f

def rosenbrock(c):
    x = np.array([c[f'x{i}'] for i in range(4)])
    return float((100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum())

def mixed(c):  # a learning rate on a log scale, a depth and an optimiser: its best at lr 10^-2.5, depth 6, 'sgd'
    return (math.log10(c['lr']) + 2.5) ** 2 + ((c['depth'] - 6) / 4) ** 2 + {'adam': 0.3, 'sgd': 0.0, 'rmsprop': 0.15}[c['opt']]

def unit(n, lo=0.0, hi=1.0): return SearchSpace([Float(f'x{i}', lo, hi) for i in range(n)], name=f'unit{n}')

FUNCTIONS = {  # name: (space, function, optimum)
    'branin': (SearchSpace([Float('x1', -5, 10), Float('x2', 0, 15)], name='branin'), branin, 0.397887),
    'hartmann3': (unit(3), hartmann(*_H3), -3.86278),
    'hartmann6': (unit(6), hartmann(*_H6), -3.32237),
    'rosenbrock4': (SearchSpace([Float(f'x{i}', -2, 2) for i in range(4)], name='rosen4'), rosenbrock, 0.0),
    'mixed': (SearchSpace([Float('lr', 1e-5, 1e-1, log=True), Int('depth', 1, 16), Categorical('opt', ['adam', 'sgd', 'rmsprop'])], name='mixed'), mixed, 0.0),
}

def _seed_grids() -> dict:
    "The seed plan's four grids as functions to minimise, replayed from their committed evaluations."
    g, out = pd.read_parquet(ROOT / 'results' / 'seed' / 'seed_grids.parquet'), {}
    for task, rows in g.groupby('task', sort=False):
        space = get_space(rows.model_family.iloc[0])
        sign = 1.0 if task == 'electricity' else -1.0  # its validation MSE; the others' accuracy
        table = {space.key(json.loads(c)): sign * float(v) for c, v in zip(rows.config, rows.value)}
        out[f'grid-{task}'] = (space, lambda c, t=table, sp=space: t[sp.key(c)], min(table.values()))
    return out

FUNCTIONS.update(_seed_grids())

_FAMILY = [('A', 0.15, 0.3), ('B', 0.4, 0.8), ('C', 0.7, 0.5), ('D', 0.9, 0.1)]  # the user's family's four targets (s, r)
FAMILY_SPACE = SearchSpace([Float('lr', 1e-5, 1e-1, log=True), Int('depth', 1, 16), Float('dropout', 0.0, 0.6),
                            Categorical('opt', ['adam', 'sgd', 'rmsprop'])], name='synth-net')

def family(s:float, r:float):
    "One task of the user's family: a loss whose optimum moves with (s, r); the tuner sees it with noise (sd 0.02, seeded per study), `true` is without."
    def true(c):
        loss = (math.log10(c['lr']) - (-4.5 + 3.0 * s)) ** 2 + ((c['depth'] - (2 + 12 * s)) / 4.0) ** 2 + 4 * (c['dropout'] - 0.5 * r) ** 2
        return loss + ({'adam': 0.0, 'sgd': 0.6, 'rmsprop': 0.3} if s < 0.45 else {'adam': 0.5, 'sgd': 0.0, 'rmsprop': 0.25})[c['opt']]
    d = int(min(max(round(2 + 12 * s), 1), 16))
    return true, ((d - (2 + 12 * s)) / 4.0) ** 2  # at the best depth (a whole number) and the best of the rest

DESIGN = {'design-bowl': (SearchSpace([Float('x', 0, 1), Float('y', 0, 1), Float('z', 0, 1)], name='bowl'),
                          lambda c: (c['x'] - .3) ** 2 + (c['y'] - .6) ** 2 + (c['z'] - .5) ** 2, 0.0),
          **{f'design-family-{n}': (FAMILY_SPACE, *family(s, r)) for n, s, r in _FAMILY}}
NOISY = {n for n in DESIGN if n.startswith('design-family')}
FUNCTIONS.update(DESIGN)

def objective(name:str, seed:int):
    "What the tuner minimises: the function, or for a noisy one its value with noise beside the noise-free `true`."
    f = FUNCTIONS[name][1]
    if name not in NOISY: return f
    rng = np.random.default_rng(seed)
    return lambda c: {'value': (t := f(c)) + 0.02 * float(rng.normal()), 'true': t}

def scale(name:str) -> float:
    "The median of the function over 1,000 random configurations (seed 0) minus its optimum: a typical random configuration's regret."
    space, f, best = FUNCTIONS[name]
    return float(np.median([f(c) for c in space.sample(np.random.default_rng(0), n=1000)])) - best
TUNERS = {
    'random': lambda sp, s: RandomSearch(sp, s),
    'tpe': lambda sp, s: make_peer('tpe', sp, s),
    'meta': lambda sp, s: MetaTuner(sp, s),
    'meta-surrogate': lambda sp, s: MetaTuner(sp, s, no_experience='surrogate'),
}

def run(seeds:int, budget:int) -> pd.DataFrame:
    path = OUT / 'runs.csv'
    runs = pd.read_csv(path) if path.exists() else pd.DataFrame(columns=['function', 'tuner', 'seed', 'k', 'best', 'ask_ms', 'budget'])
    if len(runs) and set(runs.budget) != {budget}:
        sys.exit(f"{path} holds runs with budget {sorted(set(runs.budget))}, not {budget}: give --budget {runs.budget.iloc[0]}, or move the file away to start anew")
    done = set(zip(runs.function, runs.tuner, runs.seed))
    todo = [(f, t, s) for f in FUNCTIONS for t in TUNERS for s in range(seeds) if (f, t, s) not in done]
    for i, (fname, tname, seed) in enumerate(todo, 1):
        space, _, best = FUNCTIONS[fname]
        tuner = TUNERS[tname](space, seed)
        t0 = time.perf_counter()
        st = tune(objective(fname, seed), space, tuner, budget=budget, direction='minimize', seed=seed, progress=False)
        wall = time.perf_counter() - t0
        vals = np.minimum.accumulate([t.metrics.get('true', t.value) if t.ok else math.inf for t in st.trials])
        vals = np.concatenate([vals, np.full(budget - len(vals), vals[-1])])  # a study that ended early (a finite space) keeps its best
        ask_ms = 1000 * (wall - sum(t.cost.wall_s for t in st.trials)) / len(st.trials)  # the tuner's share of the study, per trial
        rows = pd.DataFrame({'function': fname, 'tuner': tname, 'seed': seed, 'k': np.arange(1, len(vals) + 1), 'best': vals, 'ask_ms': ask_ms, 'budget': budget})
        runs = pd.concat([runs, rows], ignore_index=True)
        tmp = path.with_suffix('.tmp'); runs.to_csv(tmp, index=False); os.replace(tmp, path)  # after every study: an interrupted run resumes
        print(f"[{i}/{len(todo)}] {fname} {tname} seed {seed}: best after {len(st.trials)} {vals[-1]:.4g} (optimum {best:g}), {ask_ms:.0f} ms per trial", flush=True)
    return runs

def summarise(runs:pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    opt = {n: (best, scale(n)) for n, (_, _, best) in FUNCTIONS.items()}
    res = runs.assign(regret=[(b - opt[f][0]) / opt[f][1] for f, b in zip(runs.function, runs.best)])
    at = res[res.k.isin(KS)].assign(role=lambda d: np.where(d.function.isin(list(DESIGN)), 'design', 'test'))
    summary = at.groupby(['role', 'function', 'tuner', 'k']).agg(regret=('regret', 'mean'), seeds=('seed', 'nunique'), ask_ms=('ask_ms', 'median')).reset_index()
    runs_ = res.rename(columns={'function': 'task'})[['tuner', 'task', 'seed', 'k', 'regret']]
    paired = [paired_differences(runs_[~runs_.task.isin(list(DESIGN))], 'meta', ks=KS).assign(function='pooled')]  # the test functions as the tasks, seeds averaged per function
    for fn, g in runs_.groupby('task'):  # a function alone: its seeds as the units
        paired.append(paired_differences(g.assign(task=g.seed.astype(str), seed=0), 'meta', ks=KS).assign(function=fn))
    return summary, pd.concat(paired).rename(columns={'n_tasks': 'n'})[['function', 'k', 'other', 'diff', 'lo', 'hi', 'p', 'n', 'verdict']]

def latency(sizes=(10, 30, 100, 300, 1000), asks:int=5) -> pd.DataFrame:
    "Milliseconds per `ask` of MetaTuner without experience after n trials told (Hartmann 6's space, random trials, seed 0): the median of `asks` asks, each told before the next."
    space, f, _ = FUNCTIONS['hartmann6']
    rows = []
    for n in sizes:
        for tname in ('meta', 'meta-surrogate'):
            t = TUNERS[tname](space, 0)
            for c in space.sample(np.random.default_rng(1), n=n): t.tell(c, f(c))
            times = []
            for _ in range(asks):
                t0 = time.perf_counter(); c = t.ask(); times.append(1000 * (time.perf_counter() - t0)); t.tell(c, f(c))
            rows.append(dict(tuner=tname, trials=n, ask_ms_median=float(np.median(times)), ask_ms_max=float(np.max(times)), cpus=os.cpu_count()))
            print(f"{tname} after {n} trials: ask {rows[-1]['ask_ms_median']:.0f} ms (median of {asks})", flush=True)
    return pd.DataFrame(rows)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seeds', type=int, default=10); ap.add_argument('--budget', type=int, default=30)
    ap.add_argument('--summary', action='store_true', help='summarise runs.csv only')
    ap.add_argument('--latency', action='store_true', help="only the ask time against trials told (latency.csv)")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings('ignore')
    if a.latency: latency().round(2).to_csv(OUT / 'latency.csv', index=False); return
    runs = pd.read_csv(OUT / 'runs.csv') if a.summary else run(a.seeds, a.budget)
    summary, paired = summarise(runs)
    summary.round(6).to_csv(OUT / 'summary.csv', index=False); paired.round(6).to_csv(OUT / 'paired.csv', index=False)
    pd.set_option('display.width', 200)
    print(summary.pivot_table(index=['function', 'tuner'], columns='k', values='regret').round(4).to_string())
    print(paired[paired.function == 'pooled'].round(4).to_string(index=False))

if __name__ == '__main__': main()
