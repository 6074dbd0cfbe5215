"""Would longer training, or scores averaged over seeds, make the LSTM grid reproducible?

At the LSTM family's profile (a tenth of the configured epochs: 2, 5 or 10) the electricity target's two seeds rank
the 27 grid points with a Spearman correlation of 0.10 (results/seed/seed_grids_repeat.parquet), so its grid measures
the seed more than the configuration. This script trains, on the electricity target and on the first three meta-train
UCI clients by name (the target's nearest kin; a rule fixed before any run, no meta-test task), (1) the grid at
`EPOCH_SCALE` (0.3: 6, 15 or 30 epochs; the same 2,000 training windows) with seeds 0 and 1, and (2) the grid at the
family's profile with seeds 2 and 3, so that the mean of two seeds (0 and 1) can be set against the mean of two others
(2 and 3). Per task and profile it compares two independent scores of the grid: their Spearman correlation, the
two-SE gap of a difference as normalised regret, the points within it and where one score's best ranks in the other
(as scripts/lstm_noise.py does). Seeds 0 and 1 at the family's profile are read from the committed files. Writes
results/design/lstm-profile.parquet (the new runs) and results/design/lstm-profile-noise.csv.

From the repository root (0.1 CPU hours a grid at 0.3, 0.03 at 0.1, on one thread; resumable; one process a seed):

    export METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 PYTHONPATH=.
    python scripts/lstm_profile_noise.py --run 0 results/design/lstm-profile.db        # and --run 1, side by side
    python scripts/lstm_profile_noise.py --run 2 results/design/lstm-profile.db 0.1    # and --run 3 ... 0.1
    metahpo export --repo results/design/lstm-profile.db results/design/lstm-profile.parquet
    python scripts/lstm_profile_noise.py
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import re, sys, pandas as pd
from pathlib import Path
from metahpo.experience import load_experience
from metahpo.metadataset import build_metadataset
from metahpo.metadataset_nn import LSTMProtocol
from metahpo.trainers.lstm import LSTMTrainer
from metahpo.tuners import tune
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lstm_noise import values, agreement

ROOT = Path(__file__).resolve().parents[1]
RUNS, OUT = ROOT / 'results' / 'design' / 'lstm-profile.parquet', ROOT / 'results' / 'design' / 'lstm-profile-noise.csv'
EPOCH_SCALE, FAMILY_SCALE = 0.3, 0.1
KIN = ('uci-MT_002', 'uci-MT_003', 'uci-MT_004')  # the first three meta-train UCI clients by name

def run(seed:int, repo:str, scale:float=EPOCH_SCALE):
    "Train the grid at `scale` of the epochs with `seed`: the electricity target, then the `KIN` series (resumes what is recorded)."
    obj = LSTMTrainer.electricity('MT_001', seed=seed, space='grid', name='electricity', epoch_scale=scale, max_train_windows=2000)
    tune(obj, tuner='grid', budget=27, seed=seed, repository=repo, study=f'electricity-lstm-grid-seed{seed}-x{scale:g}', progress=False)
    print(build_metadataset(repo, LSTMProtocol(epoch_scale=scale, seed=seed), tasks=KIN, progress=False).to_string())

def scores(task:str, scale:float, averaged:int, x:pd.Series, y:pd.Series) -> dict:
    "Two independent scores of one grid (each one seed's, or the mean of `averaged` seeds'): their best values and `lstm_noise.agreement` (val_mse: lower is better)."
    return dict(task=task, epoch_scale=scale, averaged=averaged, best_seed0=x.min(), best_seed1=y.reindex(x.index).min(),
                **{k: v for k, v in agreement(x, y).items() if k != 'points'})

def grids() -> dict:
    "(task, epoch scale, seed) -> the grid's evaluations, from the committed files."
    g = {}
    for e in load_experience():  # the family's profile, seed 0
        if e.task.name in KIN and e.space.name == 'lstm' and len(e) == 27: g[e.task.name, FAMILY_SCALE, 0] = e
    for e in load_experience(ROOT / 'results' / 'design' / 'lstm-seed1.parquet'):
        if e.task.name in KIN: g[e.task.name, FAMILY_SCALE, 1] = e
    for f, s in (('seed_grids.parquet', 0), ('seed_grids_repeat.parquet', 1)):
        for e in load_experience(ROOT / 'results' / 'seed' / f):
            if e.task.name == 'electricity': g['electricity', FAMILY_SCALE, s] = e
    for e in load_experience(RUNS):
        g[e.task.name, round(float(e.metrics.epoch_scale.iloc[0]), 3), int(re.search(r'-seed(\d+)', e.study).group(1))] = e
    return g

def rows(g:dict, task:str, scale:float) -> list[dict]:
    "Seed 0 against seed 1; and, where seeds 2 and 3 were run too, the mean of seeds 0 and 1 against the mean of 2 and 3."
    if not all((task, scale, s) in g for s in (0, 1)): return []
    v = {s: values(g[task, scale, s]) for s in range(4) if (task, scale, s) in g}
    out = [scores(task, scale, 1, v[0], v[1])]
    if 2 in v and 3 in v: out.append(scores(task, scale, 2, (v[0] + v[1]) / 2, ((v[2] + v[3]) / 2).reindex(v[0].index)))
    return out

if __name__ == '__main__':
    if sys.argv[1:2] == ['--run']: run(int(sys.argv[2]), sys.argv[3], *map(float, sys.argv[4:5])); sys.exit()
    g = grids()
    t = pd.DataFrame([r for task in ('electricity', *KIN) for sc in (FAMILY_SCALE, EPOCH_SCALE) for r in rows(g, task, sc)])
    for task in t.task.unique():  # does the short profile's ranking carry to the longer one? (seed 0 of each)
        if (task, FAMILY_SCALE, 0) in g and (task, EPOCH_SCALE, 0) in g:
            x = values(g[task, FAMILY_SCALE, 0]); y = values(g[task, EPOCH_SCALE, 0]).reindex(x.index)
            t.loc[t.task == task, 'spearman_profiles_seed0'] = float(x.corr(y, method='spearman'))
    t.round(5).to_csv(OUT, index=False)
    print(t.round(3).to_string(index=False)); print(f'wrote {OUT}')
