"""Design study of issue 16 (thirteenth round), on META-VALIDATION tasks and tasks from OUTSIDE the project: MetaTuner
warm-started by zero-shot's portfolio, then adapting as now.

On the meta-validation tasks of rf-grid and rf-wide zero-shot, the best peer there, has the lower mean regret after 5
evaluations, and MetaTuner the lower one after 10 on rf-wide (the design page's "What the meta-test target asks"). The
two differ in their first proposals: zero-shot's are a greedy portfolio of per-task ranks with every past task equal
(Syne Tune's ZeroShotTransfer, after Wistuba et al. 2015), MetaTuner's a greedy portfolio of min-max-scaled scores
weighted by meta-feature similarity; after them MetaTuner adapts (the consensus of the past tasks weighted by how well
each ranks this task's trials, mixed with the meta-trained surrogate) while zero-shot keeps to its fixed list. The
third round replayed zero-shot's portfolio as the warm start *alone* (offline, up to 8 evaluations): ahead of
MetaTuner's on rf-grid's meta-validation tasks, behind it leaving meta-train tasks out. Here it is the start of the
whole MetaTuner:

- `zs-warm`: the committed MetaTuner (three warm-start proposals) whose warm start is zero-shot's rank portfolio, every
  past task equal (`rank_greedy` of the third round, which reproduces the zero-shot peer's proposals on the grid
  suites); the consensus and the surrogate afterwards as committed;
- `zs-warm-nosur`: the same without the surrogate.

`base` is the committed MetaTuner and `nosur` the same without its surrogate, run again here beside the variants
(they reproduce the ninth round's `warm3` and `warm3-nosur`). Views: the meta-validation tasks of the suites whose past tasks share configurations
(rf-grid, rf-wide, lstm, text, image; on lcbench and rbv2_xgboost MetaTuner has no warm start, so the variant is the
committed MetaTuner) and the outside tables; one seed (MetaTuner's runs on finite candidate sets do not depend on it).
It never reads a meta-test task.

The rule, fixed before the runs (the sixth to eleventh rounds'): `zs-warm` replaces the default warm start if its
interval against `base` lies above zero on no view at any k, and below zero on at least two views after 5, 10 or 25.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/zs_warm_design.py <suite|outside> [variant,...]
    python scripts/zs_warm_design.py --summary      # results/design/zs-warm.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np
from metahpo.metatuner import MetaTuner, score_matrix
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
from warm_start_offline import rank_greedy
import rank_design

OUT = ROOT / 'zs-warm'
VIEWS = ('rf-grid', 'rf-wide', 'lstm', 'text', 'image', 'outside')

class ZeroShotStart(MetaTuner):
    "MetaTuner whose warm start is zero-shot's portfolio: greedy over per-task ranks, every past task equal."
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if not self._queue: return  # no warm start (no experience, or past tasks that share no configuration)
        S, configs = score_matrix(self.space, self.past)
        eligible = np.flatnonzero((~np.isnan(S)).mean(0) >= 0.5)  # as the committed portfolio: evaluated on half the tasks or more
        if len(eligible): self._queue = [configs[eligible[j]] for j in rank_greedy(S[:, eligible], self.warm.n)]

VARIANTS = {'base': dict(n_warm=3), 'nosur': dict(n_warm=3, parts=('warm-start', 'consensus')),
            'zs-warm': dict(cls=ZeroShotStart, n_warm=3),
            'zs-warm-nosur': dict(cls=ZeroShotStart, n_warm=3, parts=('warm-start', 'consensus'))}

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary':
        refs = lambda v: {'zs-warm': ('base', 'zs-warm-nosur'), 'zs-warm-nosur': ('nosur',), 'base': ('nosur',)}.get(v, ())
        rank_design.summary(folder=OUT, csv=ROOT / 'zs-warm.csv', refs=refs)
        sys.exit()
    _args.view(sys.argv[1], VIEWS)
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
