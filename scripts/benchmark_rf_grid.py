"""Leave-one-task-out replay on the random-forest grid meta-dataset: grid, random and MetaTuner.

    python scripts/benchmark_rf_grid.py [--experience PATH] [--budget 10] [--seeds 3] [--out results/rf_grid]

Reads the shipped experience base by default, writes the long results table and the regret table as CSV.
"""
import argparse, time
from pathlib import Path
from metahpo.experience import load_experience
from metahpo.tuners import make_tuner
from metahpo.metatuner import MetaTuner
from metahpo.surrogate import MetaSurrogate
from metahpo.benchmark import run_benchmark, regret_table, average_rank, evaluations_to

def main(experience=None, budget=10, seeds=3, out='results/rf_grid', members=3, meta_steps=100):
    ex = load_experience(experience).select(space='random_forest')
    ex.evaluations = [e for e in ex if len(e) >= 27]
    mf = {t.name: t.meta_features for t in ex.tasks}
    tuners = {'grid': lambda s, seed, rest, task: make_tuner('grid', s, seed),
              'random': lambda s, seed, rest, task: make_tuner('random', s, seed),
              'meta': lambda s, seed, rest, task: MetaTuner(s, seed, experience=rest, task=task, meta_features=mf.get(task),
                                                            surrogate=MetaSurrogate(n_members=members, meta_steps=meta_steps, seed=seed))}
    t0 = time.perf_counter()
    res = run_benchmark(ex, tuners, budget=budget, seeds=range(seeds))
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    res.to_csv(out / 'runs.csv', index=False)
    tab = regret_table(res, ks=[k for k in (1, 3, 5, 10, 25) if k <= budget]); tab.to_csv(out / 'regret.csv', index=False)
    print(f"{len(ex)} tasks x {seeds} seeds, budget {budget}, {time.perf_counter() - t0:.0f} s")
    print(tab.round(3).to_string(index=False))
    print('average rank after 3:', average_rank(res, 3).round(2).to_dict())
    print(evaluations_to(res).round(2).to_string())

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--experience', default=None); p.add_argument('--budget', type=int, default=10)
    p.add_argument('--seeds', type=int, default=3); p.add_argument('--out', default='results/rf_grid')
    p.add_argument('--members', type=int, default=3); p.add_argument('--meta-steps', type=int, default=100)
    a = p.parse_args(); main(a.experience, a.budget, a.seeds, a.out, a.members, a.meta_steps)
