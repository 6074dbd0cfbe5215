"""Concurrency benchmark (issue 18): what concurrent trials buy, measured, and what the seed's ResNet-50 grid costs on many GPUs, on paper.

1. `tune` at concurrency 1, 2 and 4 on rf-grid meta-test tasks, replayed with realistic trial times: each trial
   looks up its tabulated CV accuracy and burns `--scale` times the CPU seconds that evaluation took when the
   meta-dataset was built (a busy loop of this process's CPU time, so trials side by side compete for the cores
   as real ones do). Tuners: random search (the same configurations at every concurrency: a like-for-like wall
   time) and MetaTuner (meta-test protocol: meta-train + meta-val tasks as experience, one meta-trained surrogate).
   Wall time per study, regret at equal evaluations (paired over tasks and seeds, 95% bootstrap CI), regret
   against wall time.
2. `MetaSampler` in Optuna: alone (n_jobs=1), with n_jobs=2, and two processes on one SQLite storage, against
   MetaTuner alone in `tune`: duplicated configurations and regret at equal evaluations (paired).
3. On paper: the seed's ResNet-50 grid on CIFAR-10 at full scale on 1, 8 and 64 GPUs, from the GPU cost per
   training step measured on an H200 (`results/gpu/probe.json`), calibrated on the three full-profile grid points
   measured there; each tuner's proposals simulated on that many GPUs (asked when a GPU frees up, told when the
   trial ends) over the seed grid's CPU-profile accuracies (`results/seed/seed_grids.parquet`): wall time until
   near-optimal (normalized regret <= 0.05) and for the whole budget. Tuners: grid, random, MetaTuner and Syne Tune's
   zero-shot portfolio with the shipped image family as experience (CIFAR-10 itself left out, its meta-features as the
   experience base records them), and MetaTuner without experience (`meta-cold`).

    python scripts/concurrency_benchmark.py                # all three, writes results/concurrency/
    python scripts/concurrency_benchmark.py --part paper   # only the third (about a minute)
    python scripts/concurrency_benchmark.py --resummarise  # the summaries of the first two again, from their files
A verdict (concurrent or a sampler mode 'lower' or 'higher' than sequential) needs the paired interval to exclude zero and the
paired sign-flip test over tasks (seeds averaged per task) to give p < 0.05, as on the benchmark page; with four tasks the test's
smallest p is 0.125, so every difference reads level.
Run it with the machine otherwise idle: part 1 measures wall time.
"""
import argparse, json, math, multiprocessing, os, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from metahpo.experience import Experience, load_experience
from metahpo.metatuner import MetaTuner, default_surrogate
from metahpo.suites import get_suite
from metahpo.tuners import tune, make_tuner
from metahpo.peers import make_peer
from metahpo.benchmark import signflip_p

def burn(seconds:float) -> None:
    t = time.process_time()
    while time.process_time() - t < seconds: pass

class Replay:
    "A tabulated task as an objective: its recorded accuracy, after burning `scale` x its recorded CPU seconds."
    def __init__(self, e, scale:float):
        self.space, self.scale = e.space, scale
        self.table = {e.space.key(c): (float(v), float(s)) for c, v, s in zip(e.configs, e.values, e.cost['cpu_s'])}
        vals = [v for v, _ in self.table.values()]
        self.best, self.worst = max(vals), min(vals)
    def __call__(self, c):
        v, s = self.table[self.space.key(c)]
        burn(self.scale * s); return v
    def regret(self, v) -> float: return (self.best - v) / (self.best - self.worst) if self.best > self.worst else 0.0

def bootstrap(d, n=10_000, seed=0):
    d = np.asarray(d, float); rng = np.random.default_rng(seed)
    m = rng.choice(d, (n, len(d))).mean(1)
    return float(d.mean()), float(np.quantile(m, 0.025)), float(np.quantile(m, 0.975))

def verdict(lo, hi, p=0.0, lower_is_better=True):
    "'lower' or 'higher' only where the interval excludes zero and the sign-flip test's p is below 0.05 (the benchmark page's rule), else 'level'."
    if p >= 0.05: return 'level'
    if hi < 0: return 'lower' if lower_is_better else 'higher'
    if lo > 0: return 'higher'
    return 'level'

def paired(d:pd.Series) -> dict:
    "A regret difference indexed by task (and seed): its mean with a 95% bootstrap interval over the pairs, and the paired sign-flip test over tasks (seeds averaged per task, as the benchmark page's tables do) that a verdict needs as well."
    d = d.dropna(); m, lo, hi = bootstrap(d)
    per_task = d.groupby(level='task').mean().to_numpy()
    p = signflip_p(per_task)
    return dict(mean=round(m, 4), ci=[round(lo, 4), round(hi, 4)], p=round(p, 4), n_tasks=len(per_task), verdict=verdict(lo, hi, p))

def setup(n_tasks:int):
    s = get_suite('rf-grid')
    ex = load_experience().select(space=s.space)
    ex = Experience([e for e in ex if len(e) >= s.min_candidates])
    parts = s.parts(ex.task_names)
    past = Experience([e for e in ex if parts[e.task.name] != 'meta-test'])
    test = sorted((e for e in ex if parts[e.task.name] == 'meta-test'), key=lambda e: e.task.name)[:n_tasks]
    sur = default_surrogate(seed=0)
    MetaTuner(ex.evaluations[0].space, 0, experience=past, surrogate=sur).meta_train()  # one surrogate for every run (meta-test protocol)
    return past, test, sur

def make(tuner, e, seed, past, sur):
    if tuner == 'meta': return MetaTuner(e.space, seed, experience=past, meta_features=e.task.meta_features, task=e.task.name, surrogate=sur)
    return make_tuner(tuner, e.space, seed)

def part_concurrency(a, past, test, sur, out:Path):
    rows, studies = [], []
    runs = [(tuner, seed) for tuner in ('random', 'meta') for seed in range(a.seeds if tuner == 'random' else 1)]
    for i, e in enumerate(test):
        obj = Replay(e, a.scale)
        for tuner, seed in runs:
            for conc in (1, 2, 4):
                t0, times = time.perf_counter(), []
                st = tune(obj, e.space, make(tuner, e, seed, past, sur), budget=a.budget, metric='accuracy', seed=seed, concurrency=conc,
                          callbacks=[lambda s, t: times.append(time.perf_counter() - t0)], progress=False)
                best = -math.inf
                for k, (t, w) in enumerate(zip(st.trials, times), 1):
                    best = max(best, t.value); rows.append(dict(tuner=tuner, task=e.task.name, seed=seed, concurrency=conc, k=k, t_s=w,
                                                                value=t.value, regret=obj.regret(best)))
                studies.append(dict(tuner=tuner, task=e.task.name, seed=seed, concurrency=conc, wall_s=st.wall_s,
                                    cpu_s=sum(t.cost.cpu_s for t in st.trials), configs='|'.join(sorted(e.space.key(t.config) for t in st.trials))))
                print(f"[{i + 1}/{len(test)}] {e.task.name} {tuner} seed {seed} concurrency {conc}: {st.wall_s:.1f} s wall, "
                      f"regret after {a.budget}: {rows[-1]['regret']:.4f}", flush=True)
    runs_df, st_df = pd.DataFrame(rows), pd.DataFrame(studies)
    runs_df.to_csv(out / 'concurrency_runs.csv', index=False); st_df.to_csv(out / 'concurrency_studies.csv', index=False)
    return summarise_concurrency(runs_df, st_df, a.budget)

def summarise_concurrency(runs_df:pd.DataFrame, st_df:pd.DataFrame, budget:int) -> dict:
    "Part 1's summary from its two files: wall time as a share of sequential, and regret at equal evaluations, concurrent minus sequential."
    summary = {}
    for tuner in ('random', 'meta'):
        base = st_df[(st_df.tuner == tuner) & (st_df.concurrency == 1)].set_index(['task', 'seed'])
        for conc in (2, 4):
            other = st_df[(st_df.tuner == tuner) & (st_df.concurrency == conc)].set_index(['task', 'seed'])
            ratio = (other.wall_s / base.wall_s).dropna()
            m, lo, hi = bootstrap(ratio)
            same = float((other.configs == base.configs).mean())
            rec = dict(wall_ratio_mean=round(m, 3), wall_ratio_ci=[round(lo, 3), round(hi, 3)], wall_ratio_median=round(float(ratio.median()), 3),
                       wall_s_sequential_total=round(float(base.wall_s.sum()), 1), wall_s_total=round(float(other.wall_s.sum()), 1),
                       same_configurations=same, n_studies=int(len(ratio)))
            for k in (5, 10, budget):
                r1 = runs_df[(runs_df.tuner == tuner) & (runs_df.concurrency == 1) & (runs_df.k == k)].set_index(['task', 'seed']).regret
                rc = runs_df[(runs_df.tuner == tuner) & (runs_df.concurrency == conc) & (runs_df.k == k)].set_index(['task', 'seed']).regret
                rec[f'regret_diff@{k}'] = dict(**paired(rc - r1), sequential=round(float(r1.mean()), 4), concurrent=round(float(rc.mean()), 4))
            summary[f'{tuner}-c{conc}'] = rec
    return summary

def _sampler_worker(storage, e_idx, n_trials, args):
    import optuna
    from metahpo.integrations.optuna import MetaSampler, suggest
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    past, test, sur = args
    e = test[e_idx]; obj = Replay(e, 0.0)
    s = optuna.load_study(study_name='shared', storage=storage,
                          sampler=MetaSampler(e.space, experience=past, meta_features=e.task.meta_features, task=e.task.name, surrogate=sur))
    s.optimize(lambda t: (time.sleep(0.02), obj(suggest(t, e.space)))[1], n_trials=n_trials)

def part_sampler(a, past, test, sur, out:Path):
    import optuna
    from metahpo.integrations.optuna import MetaSampler, suggest
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows, dups = [], {}
    for i, e in enumerate(test):
        obj = Replay(e, 0.0)
        def record(mode, values, keys):
            dups.setdefault(mode, []).append(len(keys) - len(set(keys)))
            best = -math.inf
            for k, v in enumerate(values, 1): best = max(best, v); rows.append(dict(mode=mode, task=e.task.name, k=k, regret=obj.regret(best)))
        st = tune(obj, e.space, make('meta', e, 0, past, sur), budget=a.budget, metric='accuracy', progress=False)
        record('MetaTuner alone', [t.value for t in st.trials], [e.space.key(t.config) for t in st.trials])
        for n_jobs in (1, 2):
            s = optuna.create_study(direction='maximize', sampler=MetaSampler(e.space, experience=past, meta_features=e.task.meta_features,
                                                                              task=e.task.name, surrogate=sur))
            s.optimize(lambda t: (time.sleep(0.02), obj(suggest(t, e.space)))[1], n_trials=a.budget, n_jobs=n_jobs)
            record(f'MetaSampler n_jobs={n_jobs}', [t.value for t in s.trials], [e.space.key(t.params) for t in s.trials])
        storage = f"sqlite:///{tempfile.mkdtemp()}/optuna.db"
        optuna.create_study(study_name='shared', storage=storage, direction='maximize')
        ctx = multiprocessing.get_context('fork')
        ws = [ctx.Process(target=_sampler_worker, args=(storage, i, a.budget // 2, (past, test, sur))) for _ in range(2)]
        for w in ws: w.start()
        for w in ws: w.join(600)
        trials = sorted(optuna.load_study(study_name='shared', storage=storage).trials, key=lambda t: t.number)
        record('MetaSampler, 2 processes', [t.value for t in trials if t.value is not None], [e.space.key(t.params) for t in trials])
        print(f"[{i + 1}/{len(test)}] {e.task.name}: sampler modes done ({len(trials)} trials across two processes)", flush=True)
    df = pd.DataFrame(rows); df.to_csv(out / 'sampler_runs.csv', index=False)
    return summarise_sampler(df, {mode: int(sum(d)) for mode, d in dups.items()}, a.budget)

def summarise_sampler(df:pd.DataFrame, duplicated:dict, budget:int) -> dict:
    "Part 2's summary from its file and the duplicated configurations counted per way of running: regret minus MetaTuner alone's at equal evaluations."
    summary = {}
    base = df[df['mode'] == 'MetaTuner alone'].set_index(['task', 'k']).regret
    for mode in df['mode'].unique():
        rec = dict(duplicated_configurations=duplicated[mode], n_tasks=int(df.task.nunique()))
        for k in (5, 10, budget):
            rec[f'regret_diff@{k}'] = dict(**paired((df[df['mode'] == mode].set_index(['task', 'k']).regret - base).xs(k, level='k')),
                                           regret=round(float(df[(df['mode'] == mode) & (df.k == k)].regret.mean()), 4))
        summary[mode] = rec
    return summary

def simulate(tuner, space, values:dict, costs:dict, n_gpus:int, budget:int, threshold:float):
    "Asynchronous replay on n_gpus: a GPU that frees up asks the tuner; a trial is told when it ends. (time to near-optimal, time for the budget, evals to near-optimal)."
    best_v, worst_v = max(values.values()), min(values.values())
    clock, free, running, done, best, t_near, n_near = 0.0, n_gpus, [], 0, -math.inf, None, None
    asked = 0
    while done < budget:
        while free and asked < budget and (c := tuner.ask()) is not None:
            k = space.key(c); running.append((clock + costs[k], k, c)); free -= 1; asked += 1
        if not running: break
        running.sort(key=lambda r: r[0]); end, k, c = running.pop(0)
        clock, free, done = end, free + 1, done + 1
        tuner.tell(c, -values[k]); best = max(best, values[k])
        if t_near is None and (best_v - best) / (best_v - worst_v) <= threshold: t_near, n_near = clock, done
    return t_near, clock, n_near

def part_paper(out:Path, seeds:int=10):
    probe = json.loads((ROOT / 'results/gpu/probe.json').read_text())
    step = {r['batch_size']: r['s_per_step_mean'] for r in probe['rows'] if r['model'] == 'resnet50'}
    measured = pd.read_csv(ROOT / 'results/gpu/resnet_grid-cifar10-resnet50-grid-only-batch_size128-epochs10-full-seed0.csv')
    n_train = int(measured.metric_n_train.iloc[0])
    def predicted(batch, epochs): return epochs * math.ceil(n_train / batch) * step[batch]
    calib = float((measured.wall_s / [predicted(b, e) for b, e in zip(measured.params_batch_size, measured.params_epochs)]).median())
    g = pd.read_parquet(ROOT / 'results/seed/seed_grids.parquet'); g = g[g.task == 'cifar10']
    from metahpo.space import get_space
    space = get_space('resnet50')
    configs = [json.loads(c) for c in g.config]
    values = {space.key(c): float(v) for c, v in zip(configs, g.value)}
    costs = {space.key(c): calib * predicted(c['batch_size'], c['epochs']) for c in configs}
    experience = load_experience()  # the shipped base: its image family is the past ResNet-50 tasks
    past = experience.select(space=space.name, exclude='cifar10')
    mf = experience.meta_features().loc['cifar10'].dropna().to_dict()
    sur = MetaTuner(space, 0, experience=past, meta_features=mf, task='cifar10').meta_train().surrogate  # one for every run
    def paper_tuner(tuner, seed):  # `make` above builds the rf-grid replays' tuners from a past task's record; CIFAR-10 has none
        if tuner == 'meta': return MetaTuner(space, seed, experience=past, meta_features=mf, task='cifar10', surrogate=sur)
        if tuner == 'meta-cold': return MetaTuner(space, seed)
        if tuner == 'zero-shot': return make_peer('zero-shot', space, seed, experience=past, task='cifar10', meta_features=mf)
        return make_tuner(tuner, space, seed)
    rows = []
    for tuner in ('grid', 'random', 'meta', 'zero-shot', 'meta-cold'):
        for n_gpus in (1, 8, 64):
            for seed in range(1 if tuner == 'grid' else seeds):
                t = paper_tuner(tuner, seed)
                t_near, t_all, n_near = simulate(t, space, values, costs, n_gpus, len(values), 0.05)
                rows.append(dict(tuner=tuner, gpus=n_gpus, seed=seed, hours_to_near_optimal=t_near / 3600, evals_to_near_optimal=n_near,
                                 hours_whole_grid=t_all / 3600, gpu_hours_whole_grid=sum(costs.values()) / 3600))
    df = pd.DataFrame(rows); df.to_csv(out / 'gpu_paper.csv', index=False)
    tab = df.groupby(['tuner', 'gpus'])[['hours_to_near_optimal', 'evals_to_near_optimal', 'hours_whole_grid']].median().round(3)
    return dict(calibration=round(calib, 3), n_train=n_train, s_per_step=step, gpu=probe.get('gpu'),
                grid_gpu_hours=round(sum(costs.values()) / 3600, 3), max_point_hours=round(max(costs.values()) / 3600, 3),
                n_past=len(past), past_evaluations=int(sum(len(e) for e in past)),
                table={f'{t}@{n}': r.to_dict() for (t, n), r in tab.iterrows()})

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--part', default='all', choices=['all', 'concurrency', 'sampler', 'paper'])
    p.add_argument('--tasks', type=int, default=4, help='rf-grid meta-test tasks (by name order; default 4, as the committed results)')
    p.add_argument('--budget', type=int, default=20, help='trials per study (default 20)')
    p.add_argument('--seeds', type=int, default=2, help='seeds of random search (default 2; MetaTuner runs seed 0, it does not depend on it)')
    p.add_argument('--scale', type=float, default=0.2, help='share of each evaluation\'s recorded CPU seconds that a replayed trial burns (default 0.2)')
    p.add_argument('--out', default=str(ROOT / 'results/concurrency'))
    p.add_argument('--resummarise', action='store_true', help="summarise parts 1 and 2 again from their files in --out (runs nothing; the duplicated configurations are kept from summary.json)")
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    path = out / 'summary.json'
    summary = json.loads(path.read_text()) if path.exists() else {}
    if a.resummarise:
        if not {'settings', 'concurrency', 'sampler'} <= summary.keys():
            sys.exit(f"--resummarise needs a summary.json with parts 1 and 2 in {out}; run the benchmark first (without --resummarise)")
        budget = summary['settings']['budget']
        summary['concurrency'] = summarise_concurrency(pd.read_csv(out / 'concurrency_runs.csv'), pd.read_csv(out / 'concurrency_studies.csv'), budget)
        summary['sampler'] = summarise_sampler(pd.read_csv(out / 'sampler_runs.csv'),
                                               {m: r['duplicated_configurations'] for m, r in summary['sampler'].items()}, budget)
        path.write_text(json.dumps(summary, indent=1))
        print(json.dumps({k: summary[k] for k in ('concurrency', 'sampler')}, indent=1)); return
    if a.part in ('all', 'concurrency', 'sampler'):  # the settings of parts 1 and 2 (part 3 takes none: a rerun of it alone keeps theirs)
        summary['settings'] = dict(tasks=a.tasks, budget=a.budget, seeds=a.seeds, scale=a.scale, cpus=os.cpu_count())
        t0 = time.perf_counter(); past, test, sur = setup(a.tasks)
        print(f"experience: {len(past)} past tasks; tuned: {', '.join(e.task.name for e in test)}; surrogate meta-trained in {time.perf_counter() - t0:.1f} s")
        summary['tasks'] = [e.task.name for e in test]
        if a.part in ('all', 'concurrency'): summary['concurrency'] = part_concurrency(a, past, test, sur, out)
        if a.part in ('all', 'sampler'): summary['sampler'] = part_sampler(a, past, test, sur, out)
    if a.part in ('all', 'paper'): summary['paper'] = part_paper(out)
    path.write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != 'tasks'}, indent=1))

if __name__ == '__main__': main()
