"""Design study of issue 16 (fourteenth round), on META-TRAIN and META-VALIDATION tasks: on the YAHPO suites, cover
the past tasks for five trials instead of three.

On lcbench and rbv2_xgboost no two past tasks share a configuration and there are no meta-features, so MetaTuner has
no warm start: its consensus covers the past tasks for its first three trials (`PastConsensus.min_trials`), each past
task scoring the pool by its own regressor, then weighs them by how well they rank this task's trials and mixes in
the surrogate. The second round's `pool` (a warm start of five pool configurations that cover the past tasks, then
the design of its time) was not adopted against that round's MetaTuner; the hindsight study
(scripts/hindsight_design.py, design views only) found it the one MetaTuner of the rounds whose interval against the
best peer (zero-shot) lies below zero after both 5 and 10 evaluations on a view of a suite the target names
(lcbench's 7 meta-validation tasks), and level with zero-shot on rbv2_xgboost. One view of 7 tasks picked from about
sixty variants is a lead to check, not a result; the eleventh round's way of checking is used:

- `pool5`: the committed MetaTuner whose warm start, where the past tasks share no configuration, is a greedy
  portfolio of five pool configurations covering the past tasks as each one's regressor scores them (the second
  round's `pool` on today's MetaTuner); then the consensus and the surrogate as committed;
- `base`: the committed MetaTuner, run again beside it.

Views: each suite's meta-validation tasks (meta-train as experience) and its meta-train tasks, each tuned with the
other meta-train tasks as experience (`<suite>-train`: 13 and 67 tasks); one seed (MetaTuner's runs on a seeded pool
do not depend on the benchmark seed beyond it). It never reads a meta-test task.

The rule, fixed before the runs (the eleventh round's): `pool5` replaces the default start where past tasks share no
configuration if its pooled interval against `base` (meta-validation and meta-train tasks together) lies below zero
after 5, 10 or 25 on both suites, and no interval (pooled or of a single view, at any k) lies above zero.

By that rule `pool5` was not adopted: pooled over each suite's views its interval lies below zero after 5 on lcbench
(20 tasks) and nowhere on rbv2_xgboost (91 tasks), and above zero nowhere. (The "about sixty variants" above counted run
files; the hindsight study now counts a tuner run again in a later round once: about fifty on lcbench.)

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/pool_design.py <lcbench|rbv2_xgboost>[-train] [variant,...]
    python scripts/pool_design.py --pooled      # results/design/pool-pooled.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
from metahpo.metatuner import MetaTuner, greedy_portfolio
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
import rank_design, impute_design

OUT = ROOT / 'pool'
VIEWS = ('lcbench', 'rbv2_xgboost')
N_POOL = 5

class PoolStart(MetaTuner):
    "The committed MetaTuner whose warm start, where the past tasks share no configuration, covers them over the pool."
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.past and not self._queue and 'warm-start' in self.parts:
            pool = self._pool()
            self._queue = [pool[j] for j in greedy_portfolio(self.consensus.scores(pool), N_POOL, self._prior)]

VARIANTS = {'base': dict(n_warm=3), 'pool5': dict(cls=PoolStart, n_warm=3)}

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--pooled':
        impute_design.pooled(folder=OUT, variant='pool5', csv=ROOT / 'pool-pooled.csv'); sys.exit()
    _args.view(sys.argv[1], [*VIEWS, *(f'{v}-train' for v in VIEWS)])
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
