"""Leave-one-task-out replay on a YAHPO Gym scenario: random search and MetaTuner on each instance's recorded configurations.

    METAHPO_DATA_DIR=../shared/data python scripts/benchmark_yahpo.py --scenario lcbench [--n-configs 50] [--budget 10] [--seeds 3]

Records `n_configs` random configurations per instance from the surrogate (HPO-B style candidate sets), then
replays. Writes runs.csv and regret.csv under --out.
"""
import argparse, tempfile, time
from pathlib import Path
from metahpo.experience import Experience
from metahpo.yahpo import record_yahpo_experience
from metahpo.tuners import make_tuner
from metahpo.metatuner import MetaTuner
from metahpo.surrogate import MetaSurrogate
from metahpo.benchmark import run_benchmark, regret_table, average_rank, evaluations_to

def main(scenario='lcbench', n_configs=50, budget=10, seeds=3, out=None, members=3, meta_steps=100, data_dir=None):
    with tempfile.TemporaryDirectory() as d:
        record_yahpo_experience(Path(d) / 'y.db', scenario, n_configs=n_configs, data_dir=data_dir, progress=False)
        ex = Experience.from_repository(Path(d) / 'y.db', studies=f'yahpo-{scenario}-*')
    tuners = {'random': lambda s, seed, rest, task: make_tuner('random', s, seed),
              'meta': lambda s, seed, rest, task: MetaTuner(s, seed, experience=rest, task=task,
                                                            surrogate=MetaSurrogate(n_members=members, meta_steps=meta_steps, seed=seed))}
    t0 = time.perf_counter()
    res = run_benchmark(ex, tuners, budget=budget, seeds=range(seeds))
    out = Path(out or f'results/yahpo_{scenario}'); out.mkdir(parents=True, exist_ok=True)
    res.to_csv(out / 'runs.csv', index=False)
    tab = regret_table(res, ks=[k for k in (1, 3, 5, 10, 25) if k <= budget]); tab.to_csv(out / 'regret.csv', index=False)
    print(f"{scenario}: {len(ex)} tasks x {seeds} seeds, {n_configs} candidates each, budget {budget}, {time.perf_counter() - t0:.0f} s")
    print(tab.round(3).to_string(index=False))
    print('average rank after 10:', average_rank(res, 10).round(2).to_dict())

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--scenario', default='lcbench'); p.add_argument('--n-configs', type=int, default=50)
    p.add_argument('--budget', type=int, default=10); p.add_argument('--seeds', type=int, default=3)
    p.add_argument('--out', default=None); p.add_argument('--members', type=int, default=3)
    p.add_argument('--meta-steps', type=int, default=100); p.add_argument('--data-dir', default=None)
    a = p.parse_args(); main(a.scenario, a.n_configs, a.budget, a.seeds, a.out, a.members, a.meta_steps, a.data_dir)
