"""How much of the LSTM meta-dataset's grid ranking is the configuration, and how much the training seed.

The LSTM suite's grids were trained once per point (seed 0), so their noise was never measured and the suite counts
a normalised regret of 0.05 as near-optimal. This script reads the same grids trained again with seed 1 (other
initial weights, data order and dropout; the same series and splits) on the suite's meta-train and meta-validation
tasks only (no meta-test task is trained or read), and writes results/design/noise-floor-lstm.csv: per task, the
standard error of one score (SE = sd(seed0 - seed1) / sqrt(2), over the 27 points), the gap of two standard errors of
a difference (2 * sqrt(2) * SE) in normalised regret units (divided by the grid's range), how many points lie within
that gap of the best, the Spearman correlation of the two runs' values, and the rank the seed-0 best takes in the
seed-1 run; and beside them the median Spearman correlation between the task's seed-0 grid and the other tasks'
seed-0 grids: what transfer between tasks can carry, set against what one task carries to itself under another seed.

From the repository root (the training, about 0.03 CPU hours a task; then this script, seconds):

    T=$(PYTHONPATH=. python scripts/lstm_noise.py --tasks)
    METAHPO_DATA_DIR=../shared/data metahpo metadataset --family lstm --space grid --seed 1 --tasks $T --repo experiments/lstm-seed1.db
    metahpo export --repo experiments/lstm-seed1.db results/design/lstm-seed1.parquet
    PYTHONPATH=. python scripts/lstm_noise.py
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, itertools, numpy as np, pandas as pd
from pathlib import Path
from metahpo.experience import load_experience
sys.path.insert(0, str(Path(__file__).resolve().parent))
from meta_val_design import meta_val_setup

RESULTS = Path(__file__).resolve().parents[1] / 'results' / 'design'
AGAIN, OUT = RESULTS / 'lstm-seed1.parquet', RESULTS / 'noise-floor-lstm.csv'

def values(e) -> pd.Series:
    "A grid's recorded values, indexed by configuration."
    return pd.Series(np.asarray(e.values, float), index=[e.space.key(c) for c in e.configs])

def agreement(a:pd.Series, b:pd.Series, direction:str='minimize') -> dict:
    "Two independent scores of one grid (by configuration): one score's SE, the two-SE gap of a difference as normalised regret (of a's range), a's points within it of a's best, the two scores' Spearman correlation, and the rank a's best takes in b."
    b = b.reindex(a.index)
    se = float(np.std(a - b, ddof=1) / np.sqrt(2)); gap = 2 * np.sqrt(2) * se; span = float(np.ptp(a))
    sign = 1 if direction == 'maximize' else -1  # so that larger is better
    return dict(se=se, gap_regret=min(1.0, gap / span) if span > 0 else 1.0, points=len(a),
                within=int((sign * a >= (sign * a).max() - gap).sum()), spearman_seeds=float(a.corr(b, method='spearman')),
                best_rank_seed1=int((sign * b).rank(ascending=False, method='min')[(sign * a).idxmax()]))

def noise_rows(ex, parts:dict, again) -> pd.DataFrame:
    "Per task with both runs: one score's SE, the two-SE gap as normalised regret, points within it, seed agreement."
    rows, by_name = [], {e.task.name: e for e in again}
    for e in ex:
        if e.task.name not in parts or e.task.name not in by_name: continue
        a, b = values(e), values(by_name[e.task.name])
        if set(a.index) != set(b.index): raise ValueError(f"{e.task.name}: the seed-1 run has other points than the grid")
        rows.append(dict(suite='lstm', task=e.task.name, part=parts[e.task.name], metric=e.metric, **agreement(a, b, e.direction)))
    return pd.DataFrame(rows)

def between_tasks(ex, names) -> pd.DataFrame:
    "Spearman correlation of the seed-0 grids of every two tasks in `names` (NaN on the diagonal)."
    v = {e.task.name: values(e) for e in ex if e.task.name in names}
    m = pd.DataFrame(np.nan, index=sorted(v), columns=sorted(v))
    for s, t in itertools.combinations(sorted(v), 2):
        m.loc[s, t] = m.loc[t, s] = float(v[s].corr(v[t].reindex(v[s].index), method='spearman'))
    return m

if __name__ == '__main__':
    ex, tuned, past, _ = meta_val_setup('lstm')
    parts = {**{n: 'meta-train' for n in past.task_names}, **{n: 'meta-val' for n in tuned}}
    if sys.argv[1:] == ['--tasks']: print(','.join(sorted(parts))); sys.exit()
    nf = noise_rows(ex, parts, load_experience(AGAIN))
    m = between_tasks(ex, set(nf.task))
    nf['spearman_other_tasks'] = nf.task.map(m.median(axis=1))  # the median over the other tasks with a seed-1 grid
    nf.round(5).to_csv(OUT, index=False)
    pairs = pd.Series(m.to_numpy()[np.triu_indices(len(m), 1)])
    print(f"{len(nf)} tasks with a seed-1 grid ({nf.part.value_counts().to_dict()}); medians over tasks:")
    print(nf[['gap_regret', 'within', 'spearman_seeds', 'best_rank_seed1', 'spearman_other_tasks']].median().round(3).to_string())
    print(f"Spearman between seed 0 and seed 1 of the same task: median {nf.spearman_seeds.median():.3f}, "
          f"quartiles {nf.spearman_seeds.quantile(.25):.3f} to {nf.spearman_seeds.quantile(.75):.3f}")
    print(f"Spearman between two different tasks' seed-0 grids ({len(pairs)} pairs): median {pairs.median():.3f}, "
          f"quartiles {pairs.quantile(.25):.3f} to {pairs.quantile(.75):.3f}")
    print(f"wrote {OUT}")
