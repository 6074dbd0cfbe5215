"""Every rf-grid tuner on classification tasks from OUTSIDE the project's data (a validation set for design, never meta-test).

The tasks are tables of R packages (scripts/rdatasets_tasks.py: the rule that picked them, and their provenance);
the random-forest seed grid was evaluated on each exactly as on PMLB (`metahpo metadataset --family random_forest
--space grid`, 2 x 5-fold CV). Every tuner of the rf-grid suite (ours, its ablations and the peers) tunes each of
them, learning from the rf-grid suite's meta-train and meta-validation tasks (the experience the meta-test protocol
gives; no meta-test task is used, as experience or otherwise). Runs go to results/design/outside/runs/<tuner>-seed<s>.parquet
(a file holds every table it has run; a rerun runs only the tables it lacks, so an interrupted run resumes and
tables added to the build are run alone); the evaluations themselves are kept beside them
(evaluations.parquet, so the study reruns without the build); the summary writes regret.csv (mean normalised regret
after k with a 95% bootstrap interval over tasks) and paired.csv (meta minus every other tuner, paired over tasks; a verdict needs the sign-flip test too, as the suites').

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/outside_tasks.py [--repo /work/builds/ext.db] [--seeds 3] [--tuners a,b]
    PYTHONPATH=. python scripts/outside_tasks.py --summary
"""
import argparse, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import pandas as pd
from metahpo.experience import Experience
from metahpo.repository import Repository
from metahpo.suites import get_suite, suite_experience, protocol_tasks, roster, made_with, _write
from metahpo.benchmark import run_benchmark, regret_table, paired_differences

OUT = Path(__file__).resolve().parents[1] / 'results' / 'design' / 'outside'
SUITE = 'rf-grid'

def outside_experience(repo:Path|None) -> Experience:
    "The outside tasks' grids: from the build's repository, kept as evaluations.parquet (or read back from it)."
    keep = OUT / 'evaluations.parquet'
    if repo is not None:
        OUT.mkdir(parents=True, exist_ok=True); r = Repository(repo)
        try: r.export_parquet(keep, studies='meta-rf-grid-*')
        finally: r.close()
    return Experience.from_parquet(keep)

def setup(repo):
    s = get_suite(SUITE)
    full = suite_experience(s)
    _, learn = protocol_tasks(s, full.task_names, 'meta-test')  # meta-train and meta-validation: what the meta-test protocol learns from
    past = full.select(exclude=set(full.task_names) - set(learn))
    out = outside_experience(repo)
    out = Experience([e for e in out if len(e) >= s.min_candidates])
    return s, past, out

def run(repo, seeds, tuners):
    s, past, out = setup(repo)
    both = Experience(list(past) + list(out))
    r = roster(s, both, tuners)
    (OUT / 'runs').mkdir(parents=True, exist_ok=True)
    print(f'{len(out)} outside tasks, {len(past)} past tasks; tuners: {", ".join(r)}', flush=True)
    for name in r:
        for seed in range(seeds):
            f = OUT / 'runs' / f'{name}-seed{seed}.parquet'
            done = pd.read_parquet(f) if f.exists() else None
            todo = [t for t in out.task_names if done is None or t not in set(done.task)]  # tables added since: run only those
            if not todo: continue
            t0 = time.time()
            res = run_benchmark(both, {name: r[name]}, budget=s.budget, seeds=[seed], tasks=todo, past=past, progress=False)
            _write(pd.concat([done, res], ignore_index=True), f, [made_with(f)] if done is not None else ())  # with how its rows were made
            print(name, seed, len(todo), 'tables', f'{time.time() - t0:.0f}s', flush=True)

def summary():
    res = pd.concat([pd.read_parquet(f) for f in sorted((OUT / 'runs').glob('*.parquet'))], ignore_index=True)
    ks = get_suite(SUITE).ks
    reg = regret_table(res, ks); reg.to_csv(OUT / 'regret.csv', index=False)
    pair = paired_differences(res, 'meta', ks); pair.to_csv(OUT / 'paired.csv', index=False)
    print(f"{res.task.nunique()} tasks, seeds {sorted(res.seed.unique())}")
    print(reg.pivot_table(index='tuner', columns='k', values='regret').round(4).sort_values(5).to_string())
    print(pair.to_string())

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repo', type=Path, default=None, help='the build repository (default: evaluations.parquet kept here)')
    ap.add_argument('--seeds', type=int, default=3); ap.add_argument('--tuners', default=None)
    ap.add_argument('--summary', action='store_true')
    a = ap.parse_args()
    if a.summary: summary()
    else: run(a.repo, a.seeds, a.tuners.split(',') if a.tuners else None); summary()
