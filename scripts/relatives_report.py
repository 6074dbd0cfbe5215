"""What each tuner owes to a meta-test task's relatives: the suites' meta-test tasks tuned with their experience as
`meta-test` gives it and, under `meta-test-apart`, without the past tasks of the same size and number of classes
(`Experience.relatives`: a table encoded twice, feature sets of one table, one generator's draws, class pairs of one
corpus, columns of one file). Reads results/<suite>/meta-test and results/<suite>/meta-test-apart, made by

    metahpo benchmark --suite <suite> --seeds 3 --protocol meta-test-apart --no-surrogate-report

for rf-grid, rf-wide, lstm, text and image (the YAHPO suites' tasks have no meta-features to find relatives by), and writes
results/relatives.csv: per suite, tuner and k, on the meta-test tasks that have relatives, each tuner's mean regret with
them and without them and the paired difference (without minus with) with its 95% bootstrap interval over those tasks and its sign-flip p (a verdict needs both);
and, on the tasks without relatives (the same experience under both protocols), how many tasks' regret curves the two
folders hold alike (a check that the folders differ only by what was withheld). It also writes
results/design/outside/relatives.csv: the relatives each of the outside tables (scripts/outside_tasks.py) has among
the experience those runs learn from (rf-grid's meta-train and meta-validation tasks), by the same rule.

    PYTHONPATH=. python scripts/relatives_report.py      # writes results/relatives.csv

With --meta-val it reads the meta-validation folders instead (results/<suite>/meta-val and meta-val-apart, a design
view: `metahpo benchmark --suite <suite> --seeds 3 --protocol meta-val-apart --tuners <the meta-val folder's>
--no-surrogate-report`, MetaTuner's tuners with the meta-val folder's --members, --meta-steps and --n-warm, which
predate the ninth design round's three warm-start proposals) and writes results/design/relatives-meta-val.csv:

    PYTHONPATH=. python scripts/relatives_report.py --meta-val
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import json, sys
from pathlib import Path
import numpy as np, pandas as pd
from metahpo.suites import SUITES, load_runs
from metahpo.benchmark import paired_differences, task_regret

ROOT = Path(__file__).resolve().parents[1]
KS = (1, 3, 5, 10, 25)
if bad := [a for a in sys.argv[1:] if a != '--meta-val']: sys.exit(f"{sys.argv[0]}: unknown argument(s) {' '.join(bad)}: give --meta-val, or nothing for the meta-test folders")
PROTOCOL = 'meta-val' if '--meta-val' in sys.argv[1:] else 'meta-test'

def suite_rows(name:str) -> list[dict]:
    "One row per tuner that ran under both protocols and k: with and without the relatives, on the tasks that have some."
    test, apart = ROOT / 'results' / name / PROTOCOL, ROOT / 'results' / name / f'{PROTOCOL}-apart'
    if not (test / 'suite.json').exists(): raise SystemExit(f"no {test}: run `metahpo benchmark --suite {name} --seeds 3 --protocol {PROTOCOL}` first")
    sa, st = (json.loads((f / 'suite.json').read_text()) for f in (apart, test))
    withheld = sa.get('withheld', {})
    if differ := [f"{k} {st.get(k)} in {test.name}, {sa.get(k)} in {apart.name}" for k in ('members', 'meta_steps', 'n_warm') if sa.get(k) != st.get(k)]:
        raise SystemExit(f"{name}: MetaTuner's settings differ ({'; '.join(differ)}): its runs would differ by more than the relatives; run "
                         f"{apart.name}'s MetaTuner tuners again with {test.name}'s settings (--members, --meta-steps, --n-warm)")
    a, t = load_runs(apart), load_runs(test)
    kin = sorted(withheld)
    rest = sorted(set(a.task) - set(kin))
    rows = []
    for tuner in sorted(set(a.tuner) & set(t.tuner)):
        ta, tt = a[a.tuner == tuner], t[t.tuner == tuner]
        if set(ta.seed) != set(tt.seed): tt = tt[tt.seed.isin(ta.seed)]; ta = ta[ta.seed.isin(tt.seed)]  # the seeds both ran
        both = pd.concat([ta.assign(tuner='apart'), tt.assign(tuner='with')], ignore_index=True)
        pd_kin = paired_differences(both[both.task.isin(kin)], tuner='apart', ks=KS).set_index('k')
        curves = lambda d: d[d.task.isin(rest)].pivot_table(index=['task', 'seed'], columns='k', values='regret')
        ca, ct = curves(ta), curves(tt)
        alike = int(sum(np.allclose(ca.loc[task].to_numpy(), ct.loc[task].to_numpy(), equal_nan=True, rtol=0, atol=1e-12)
                        for task in rest)) if ca.shape == ct.shape else None
        for k in KS:
            per = task_regret(both[both.task.isin(kin)], k)
            p = pd_kin.loc[k]
            rows.append(dict(suite=name, tuner=tuner, k=k, n_tasks=len(kin), with_relatives=per['with'].mean(), without=per['apart'].mean(),
                             diff=p['diff'], lo=p['lo'], hi=p['hi'], p=p.get('p'), verdict={'ahead': 'lower', 'behind': 'higher'}.get(p['verdict'], p['verdict']),
                             n_other=len(rest), other_alike=alike))
    return rows

def outside_rows() -> pd.DataFrame|None:
    "Each outside table and its relatives among rf-grid's meta-train and meta-validation tasks (none: an empty string)."
    if not (ROOT / 'results' / 'design' / 'outside' / 'evaluations.parquet').exists(): return None
    import sys; sys.path.insert(0, str(ROOT / 'scripts'))
    from outside_tasks import setup  # the outside runs' own experience and tables
    _, past, out = setup(None)
    return pd.DataFrame([dict(task=e.task.name, relatives=' '.join(past.relatives(e.task.meta_features))) for e in out])

def main():
    names = [n for n in SUITES if (ROOT / 'results' / n / f'{PROTOCOL}-apart' / 'summary.json').exists()]  # finished runs
    if not names: raise SystemExit(f"no results/<suite>/{PROTOCOL}-apart folder: run the benchmark command in this script's docstring first")
    out = pd.DataFrame([r for n in names for r in suite_rows(n)])
    dest = ROOT / 'results' / ('relatives.csv' if PROTOCOL == 'meta-test' else 'design/relatives-meta-val.csv')
    out.to_csv(dest, index=False, float_format='%.6g')
    shown = out[out.tuner.isin(['meta', 'zero-shot', 'nn-warm-start', 'tpe']) & out.k.isin([3, 5, 10])]
    print(shown.round(4).to_string(index=False))
    print(f"wrote {dest} ({len(out)} rows, suites {', '.join(names)})")
    if PROTOCOL == 'meta-test' and (o := outside_rows()) is not None:
        o.to_csv(ROOT / 'results' / 'design' / 'outside' / 'relatives.csv', index=False)
        kin = o[o.relatives != '']
        print(f"outside tables: {len(kin)} of {len(o)} have relatives: " + '; '.join(f"{r.task}: {r.relatives}" for r in kin.itertuples()))

if __name__ == '__main__': main()
