"""Would longer training make the LSTM grid reproducible? The same grids at three times the epochs, two seeds each.

At the LSTM family's profile (a tenth of the configured epochs: 2, 5 or 10) the electricity target's two seeds rank
the 27 grid points with a Spearman correlation of 0.10 (results/seed/seed_grids_repeat.parquet), so its grid measures
the seed more than the configuration. This script trains the grid again at `EPOCH_SCALE` (0.3: 6, 15 or 30 epochs;
the same 2,000 training windows), seeds 0 and 1, on the electricity target and on the first three meta-train UCI
clients by name (the target's nearest kin; a rule fixed before any run, no meta-test task), and compares, per task and
profile, the two seeds' agreement and the two-SE gap of a difference as normalised regret (as scripts/lstm_noise.py
does for the family's profile). The family-profile runs are read from the committed files. Writes
results/design/lstm-profile.parquet (the new runs) and results/design/lstm-profile-noise.csv.

From the repository root (about 0.1 CPU hours a grid on one thread; resumable; one process per seed):

    METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 PYTHONPATH=. python scripts/lstm_profile_noise.py --run 0 experiments/lstm-profile.db
    METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 PYTHONPATH=. python scripts/lstm_profile_noise.py --run 1 experiments/lstm-profile.db
    metahpo export --repo experiments/lstm-profile.db results/design/lstm-profile.parquet
    PYTHONPATH=. python scripts/lstm_profile_noise.py
"""
import sys, numpy as np, pandas as pd
from pathlib import Path
from metahpo.experience import load_experience
from metahpo.metadataset import build_metadataset
from metahpo.metadataset_nn import LSTMProtocol
from metahpo.trainers.lstm import LSTMTrainer
from metahpo.tuners import tune
sys.path.insert(0, str(Path(__file__).resolve().parent))
from lstm_noise import values

ROOT = Path(__file__).resolve().parents[1]
RUNS, OUT = ROOT / 'results' / 'design' / 'lstm-profile.parquet', ROOT / 'results' / 'design' / 'lstm-profile-noise.csv'
EPOCH_SCALE, FAMILY_SCALE = 0.3, 0.1
KIN = ('uci-MT_002', 'uci-MT_003', 'uci-MT_004')  # the first three meta-train UCI clients by name

def run(seed:int, repo:str):
    "Train the grid at `EPOCH_SCALE` with `seed`: the electricity target, then the `KIN` series (resumes what is recorded)."
    obj = LSTMTrainer.electricity('MT_001', seed=seed, space='grid', name='electricity', epoch_scale=EPOCH_SCALE, max_train_windows=2000)
    tune(obj, tuner='grid', budget=27, seed=seed, repository=repo, study=f'electricity-lstm-grid-seed{seed}-x{EPOCH_SCALE:g}', progress=False)
    print(build_metadataset(repo, LSTMProtocol(epoch_scale=EPOCH_SCALE, seed=seed), tasks=KIN, progress=False).to_string())

def agreement(task:str, scale:float, a, b) -> dict:
    "Two seeds' runs of one grid: Spearman, the two-SE gap as normalised regret (of seed 0's range), points within it, seed 0's best in seed 1."
    x, y = values(a), values(b).reindex(values(a).index)
    se = float(np.std(x - y, ddof=1) / np.sqrt(2)); gap = 2 * np.sqrt(2) * se  # val_mse: lower is better
    return dict(task=task, epoch_scale=scale, best_seed0=x.min(), best_seed1=y.min(), se=se, gap_regret=min(1.0, gap / np.ptp(x)),
                within=int((x <= x.min() + gap).sum()), spearman_seeds=float(x.corr(y, method='spearman')),
                best_rank_seed1=int(y.rank(method='min')[x.idxmin()]))

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
        s = 1 if '-seed1' in e.study else 0
        g[e.task.name, EPOCH_SCALE, s] = e
    return g

if __name__ == '__main__':
    if sys.argv[1:2] == ['--run']: run(int(sys.argv[2]), sys.argv[3]); sys.exit()
    g = grids()
    rows = [agreement(t, sc, g[t, sc, 0], g[t, sc, 1]) for t in ('electricity', *KIN) for sc in (FAMILY_SCALE, EPOCH_SCALE)
            if (t, sc, 0) in g and (t, sc, 1) in g]
    t = pd.DataFrame(rows)
    for task in t.task.unique():  # does the short profile's ranking carry to the longer one? (seed 0 of each)
        if (task, FAMILY_SCALE, 0) in g and (task, EPOCH_SCALE, 0) in g:
            x = values(g[task, FAMILY_SCALE, 0]); y = values(g[task, EPOCH_SCALE, 0]).reindex(x.index)
            t.loc[t.task == task, 'spearman_profiles_seed0'] = float(x.corr(y, method='spearman'))
    t.round(5).to_csv(OUT, index=False)
    print(t.round(3).to_string(index=False)); print(f'wrote {OUT}')
