"""How often `paired_differences` says 'ahead' or 'behind' where nothing differs (a benchmark, not a test):

  PYTHONPATH=. python scripts/verdict_calibration.py [--reps 400]

Per-task differences are drawn with no true difference (each task's difference symmetric about zero: normal, or
mostly exact ties with a few normal ones, as where both tuners often find the same configuration), over 3, 5, 6, 10,
26 and 123 tasks (the suites' meta-test and leave-one-task-out sizes), `--reps` times each, seeded. Each draw is judged
by the interval alone (`exact=False`, the design rounds' rule) and by the interval with the sign-flip test (`exact=True`,
the suites' rule since 2026-12-07). Writes results/design/verdict-calibration.csv: the share of non-'level' verdicts per
rule, case and number of tasks (a calibrated rule gives about 0.05).
"""
import argparse
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.benchmark import paired_differences

OUT = Path(__file__).resolve().parents[1] / 'results' / 'design' / 'verdict-calibration.csv'

def draw(rng, n:int, case:str) -> np.ndarray:
    d = rng.normal(0, 0.05, n)
    if case == 'ties': d[rng.random(n) < 0.8] = 0.0  # four tasks in five tie
    return d

def runs(d:np.ndarray) -> pd.DataFrame:
    "Runs whose meta minus other per-task regret after k=1 is `d` (one seed)."
    return pd.DataFrame([dict(tuner=t, task=f't{i}', seed=0, k=1, regret=r) for i, x in enumerate(d) for t, r in (('meta', 0.5 + x / 2), ('other', 0.5 - x / 2))])

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--reps', type=int, default=400)
    a = ap.parse_args(argv)
    rng, rows = np.random.default_rng(0), []
    for case in ('normal', 'ties'):
        for n in (3, 5, 6, 10, 26, 123):
            got = {False: 0, True: 0}
            for _ in range(a.reps):
                r = runs(draw(rng, n, case))
                for exact in (False, True):
                    got[exact] += paired_differences(r, 'meta', ks=(1,), exact=exact).verdict.iloc[0] in ('ahead', 'behind')
            for exact in (False, True):
                rows.append(dict(case=case, n_tasks=n, rule='interval and sign-flip test' if exact else 'interval alone', reps=a.reps, non_level=got[exact] / a.reps))
            print(case, n, {('exact' if k else 'interval'): v / a.reps for k, v in got.items()}, flush=True)
    pd.DataFrame(rows).to_csv(OUT, index=False)
    print(f"wrote {OUT}")
    return 0

if __name__ == '__main__': raise SystemExit(main())
