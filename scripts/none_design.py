"""Design study of issue 16 (fifteenth round), on META-VALIDATION tasks and tasks from OUTSIDE the project: the
surrogate without meta-training as MetaTuner's default.

After its warm start MetaTuner mixes the past tasks' consensus with its surrogate, each trusted by how well it ranks
this task's trials. The surrogate is meta-trained by Reptile (FO-MAML beside it); `algorithm='none'` is the same
network fitted on the new task's own trials only. On the outside tables (a design view: scripts/outside_tasks.py,
results/design/outside/runs, the suites' ablations run there with the committed MetaTuner, three seeds) `meta-none`
has the lowest mean of MetaTuner's ablations after 5 and 10, and is ahead of MetaTuner without a surrogate after 5
(-0.0202, interval -0.0424 to -0.0014) and of FO-MAML (-0.0190, -0.0410 to -0.0007; the design page computes both
from those runs; FO-MAML's there were made again with its annealed rate after the twenty-fifth round, so the page's
figure for it is today's); the seventh round's ranking
surrogate without meta-training was the one variant ahead of `nosur` after 10 there. On the other views the
committed MetaTuner has no `none` runs. This round runs them:

- `none`: the committed MetaTuner whose surrogate is not meta-trained (`default_surrogate('none')`: fitted on this
  task's trials alone, from its seeded initialisation);
- `base` (Reptile, committed) and `nosur` (no surrogate), run again beside it.

Views: every suite's meta-validation tasks (meta-train as experience) and the outside tables (rf-grid's meta-train and
meta-validation tasks as experience); one seed (the surrogate's seed fixed at 0, as the committed MetaTuner's). It
never reads a meta-test task.

The rule, fixed before the runs (the sixth round's): `none` replaces Reptile as the default if its interval against
`base` lies above zero on no view at any k, and below zero on at least two views after 5, 10 or 25. Reported beside
it, deciding nothing: `none` and `base` against `nosur` after 10 (the issue's surrogate target).

By that rule `none` was not adopted: its interval against `base` lies below zero on rf-grid after 5 only, and above
zero nowhere.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/none_design.py <suite|outside> [variant,...]
    python scripts/none_design.py --summary      # results/design/none.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
from metahpo.metatuner import default_surrogate
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT, SUITES
import rank_design

OUT = ROOT / 'none'
VARIANTS = {'base': dict(n_warm=3), 'nosur': dict(n_warm=3, parts=('warm-start', 'consensus')),
            'none': dict(n_warm=3, new_surrogate=lambda: default_surrogate('none', seed=0))}

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary':
        rank_design.summary(folder=OUT, csv=ROOT / 'none.csv', refs=lambda v: {'none': ('base', 'nosur'), 'base': ('nosur',)}.get(v, ())); sys.exit()
    _args.view(sys.argv[1], SUITES)
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
