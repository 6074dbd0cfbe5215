"""Design study of issue 16 (twenty-fifth round), on each suite's DESIGN tasks only (meta-train and meta-validation):
first-order MAML's outer learning rate, constant or annealed.

`fomaml` stepped its meta-weights with Adam at a constant rate (0.01, the surrogate's default) for all its meta-steps;
Reptile anneals its step linearly to zero. The reptile chapter's toy test had shown FO-MAML at 0.01 "unstable", and its
committed runs did not reproduce from one kind of CPU to another (`scripts/fomaml_controls.sh`; the surrogate reports,
made again on an Intel Xeon, moved FO-MAML's held-out figures on six suites, text's median correlation after 5 trials
from 0.749 to 0.430): a meta-training that ends wherever a constant-rate Adam happens to be after its last noisy step
depends on every rounding. This round measures that dependence on the meta-training seed, and whether the anneal
Reptile uses removes it:

- `reptile`: the package's Reptile (the committed surrogate);
- `fomaml-constant`: FO-MAML as committed before this round, Adam at a constant rate 0.01;
- `fomaml-anneal`: the same with Adam's rate annealed linearly, 0.01 * (1 - step / meta_steps), as Reptile's step.

For each suite, its design tasks (the meta-train and meta-validation tasks of `results/<suite>/meta-test/suite.json`'s
split; no meta-test task is read) are split in five folds; for each fold and each meta-training seed 0 to 3 the
surrogate as MetaTuner builds it (`default_surrogate(algorithm, 3 members, 300 meta-steps, seed)`) meta-trains on the
other folds; each held-out task is adapted to 5 of its trials (the same random trials for every variant and seed) and
ranks the others: the Spearman correlation before (`zero_shot`) and after adaptation (`adapted`), and the share of the
others inside the 90% predictive interval (`cover90`).

The rule, written down before any FO-MAML figure was read (only Reptile's timings had printed): the anneal becomes
`fomaml`'s behaviour if on every suite (a) the median over tasks of the per-task standard deviation over seeds of the
adapted correlation is lower with the anneal, and (b) the median adapted correlation (each seed's median over tasks,
averaged over seeds) is not lower by more than 0.02. Otherwise FO-MAML stays as it is.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/fomaml_anneal_design.py <suite> [variant,...]
    python scripts/fomaml_anneal_design.py --summary      # results/design/fomaml-anneal.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, json, sys, time, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np, pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'results' / 'design' / 'fomaml-anneal'
SUITES = ('rf-grid', 'rf-wide', 'lcbench', 'rbv2_xgboost', 'lstm', 'text', 'image')
VARIANTS = ('reptile', 'fomaml-constant', 'fomaml-anneal')
SEEDS, N_OBSERVED, N_FOLDS = (0, 1, 2, 3), 5, 5

def _fomaml_constant(net, tasks, meta_steps=300, inner_steps=8, inner_lr=0.05, meta_lr=0.01, tasks_per_step=4, batch=16, seed=0, loss='mse'):
    "FO-MAML as `metahpo.reptile.fomaml` ran it before this round: Adam at a constant rate (kept here so that the file regenerates; the annealed variant is the package's `fomaml`)."
    from metahpo import reptile as R
    torch = R.lazy_import('torch', 'dl'); f = R._loss_fn(loss)
    with R._grad_on():
        gen, rng, data = R._meta_setup(tasks, seed, net)
        outer = torch.optim.Adam(net.parameters(), lr=meta_lr)
        for it in range(meta_steps):
            ks = rng.choice(len(data), size=min(tasks_per_step, len(data)), replace=False)
            support, query = R._support_query(data, ks, gen)
            fast = R._batched_sgd(R._stacked(net, len(ks)), support, inner_steps, inner_lr, batch, gen, loss)
            total = sum(f(R._forward([p[j:j + 1] for p in fast], x.unsqueeze(0))[0], y) for j, (x, y) in enumerate(query))
            grads = torch.autograd.grad(total, fast)
            outer.zero_grad()
            for p, g in zip(net.parameters(), grads): p.grad = g.mean(0)
            outer.step()
    return net

def _register():
    "The two FO-MAML variants as meta-learners a `MetaSurrogate` accepts (at FO-MAML's default rate 0.01): the former code, and the package's annealed `fomaml`."
    from metahpo import surrogate as S
    from metahpo.reptile import fomaml
    S.META_LEARNERS['fomaml-constant'], S.META_LEARNERS['fomaml-anneal'] = _fomaml_constant, fomaml

def design_experience(suite:str):
    "The suite's design tasks (meta-train and meta-validation); the YAHPO suites' candidates from the suite folder's cache, as the benchmark records them."
    from metahpo.suites import suite_experience
    cache = ROOT / 'results' / suite / 'candidates.db'
    ex = suite_experience(suite, cache=cache) if suite in ('lcbench', 'rbv2_xgboost') else suite_experience(suite)
    split = json.loads((ROOT / 'results' / suite / 'meta-test' / 'suite.json').read_text())['split']
    design = set(split['meta-train']) | set(split['meta-val'])
    return ex.without([t for t in ex.tasks if t.name not in design])

def run(suite:str, variants):
    "Each of `variants` with every seed on the suite's design tasks, five folds; rows to results/design/fomaml-anneal/<suite>.csv (written after each seed; the other variants' rows there are kept)."
    from scipy.stats import spearmanr
    from metahpo.suites import _folds, held_out_predictions
    from metahpo.metatuner import MetaTuner, default_surrogate
    _register()
    ex = design_experience(suite)
    space, mf = ex.evaluations[0].space, {e.task.name: e.task.meta_features for e in ex}
    folds, path = _folds(ex.task_names, N_FOLDS, 0), OUT / f'{suite}.csv'
    kept = pd.read_csv(path) if path.exists() else None  # the other variants' rows stay: a run of some variants replaces only theirs
    rows = [] if kept is None else kept[~kept.algorithm.isin(variants)].to_dict('records')
    rho = lambda a, b: spearmanr(a, b).statistic if np.ptp(a) > 0 and np.ptp(b) > 0 else np.nan
    OUT.mkdir(parents=True, exist_ok=True)
    for algo in variants:
        for s in SEEDS:
            rng, t0 = np.random.default_rng(123), time.time()  # the same observed trials for every variant and seed
            for held in folds:
                train = ex.without([t for t in ex.tasks if t.name in held])
                mt = MetaTuner(space, 0, experience=train, surrogate=default_surrogate(algo, 3, 300, seed=s))
                sur = mt.meta_train().surrogate
                for e in ex:
                    if e.task.name not in held or len(e) <= N_OBSERVED + 2: continue
                    y, yo, mu0, mu, sd = held_out_predictions(sur, mt.task_vector(mf[e.task.name]), e, N_OBSERVED, rng)  # as the surrogate report measures
                    rows.append(dict(suite=suite, algorithm=algo, seed=s, task=e.task.name, zero_shot=rho(mu0, y), adapted=rho(mu, y),
                                     cover90=float(np.mean(np.abs(yo - mu) / sd <= sur.interval(0.9)))))
            print(suite, algo, 'seed', s, f'{time.time() - t0:.1f} s', flush=True)
            pd.DataFrame(rows).to_csv(path, index=False)

def summary() -> pd.DataFrame:
    "Per suite and variant: the adapted and unadapted median correlations (mean over seeds of each seed's median), their range over seeds, the median per-task spread over seeds, the 90% interval's coverage; and the rule's verdict."
    d = pd.concat([pd.read_csv(p) for p in sorted(OUT.glob('*.csv'))])
    per_seed = d.groupby(['suite', 'algorithm', 'seed'])[['zero_shot', 'adapted', 'cover90']].median()
    s = per_seed.groupby(['suite', 'algorithm']).agg(zero_shot=('zero_shot', 'mean'), adapted=('adapted', 'mean'), adapted_min=('adapted', 'min'),
                                                     adapted_max=('adapted', 'max'), cover90=('cover90', 'mean'))
    s['task_sd'] = d.groupby(['suite', 'algorithm', 'task']).adapted.std().groupby(['suite', 'algorithm']).median()
    s['n_tasks'] = d.groupby(['suite', 'algorithm']).task.nunique()
    s = s.reset_index().round(4)
    a, c = (s[s.algorithm == v].set_index('suite') for v in ('fomaml-anneal', 'fomaml-constant'))
    ok = (a.task_sd < c.task_sd) & (a.adapted >= c.adapted - 0.02)
    print(s.to_string(index=False))
    print('suites passing:', ', '.join(ok.index[ok]) or 'none', '; failing:', ', '.join(ok.index[~ok]) or 'none',
          f"; suites run: {len(ok)} of {len(SUITES)}. By the rule the anneal is {'adopted' if ok.all() and len(ok) == len(SUITES) else 'not adopted'}.")
    s.to_csv(ROOT / 'results' / 'design' / 'fomaml-anneal.csv', index=False)
    return s

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary': summary()
    else: run(_args.view(sys.argv[1], SUITES), _args.variants(VARIANTS))
