"""Design study of issue 16 (seventeenth round), on META-VALIDATION tasks and tasks from OUTSIDE the project: the past
tasks weighed by how well each *explains* this task's trials (Bayesian evidence) instead of how well it ranks them.

After three trials MetaTuner's consensus weighs each past task by its similarity times its rank agreement with this
task's trials (2 x the share of trial pairs it orders right - 1, floored at 0). With three to ten trials that agreement
takes a few coarse values and grows only linearly with how well a task fits, so the weights stay spread over many past
tasks. The similarity-oracle section of the design page found that weights read from each task's own values do best
when they are concentrated on the few most alike tasks (`top3`, `top10`, `rho2`). A principled way to concentrate them
from the trials alone is the posterior of a mixture: "this task behaves like past task j, up to an affine map of its
scores, plus noise". With Zellner's g-prior on the map (Liang et al. 2008, JASA; g = n, the unit-information prior) the
Bayes factor of past task j against a constant is closed-form and depends only on R_j^2, the squared correlation of
its scores of the observed trials with their values (n trials):

    BF_j = (1 + g)^((n - 2) / 2) / (1 + g (1 - R_j^2))^((n - 1) / 2)

so the weights sharpen with every trial (exponentially in n), the way a likelihood does, and a task whose scores run
against the trials (negative correlation) counts as one that explains nothing (R_j^2 = 0). Variants:

- `evidence`: the committed MetaTuner whose consensus weighs each past task by its similarity times BF_j (normalised)
  instead of similarity times rank agreement; nothing else changes (the first three trials cover the past tasks as
  now; the surrogate is mixed in by the same out-of-sample agreements).
- `base`: the committed MetaTuner, run again beside it (it reproduces the fifteenth round's `base`,
  results/design/none/<view>/base.parquet, row for row; the design page asserts it).

Views: every suite's meta-validation tasks (meta-train as experience) and the outside tables (rf-grid's meta-train and
meta-validation tasks as experience); one seed (MetaTuner's runs on finite candidate sets do not depend on it). It
never reads a meta-test task.

The rule, fixed before the runs (the sixth round's): `evidence` replaces the consensus's weights if its interval
against `base` lies above zero on no view at any k, and below zero on at least two views after 5, 10 or 25. Beside it,
deciding nothing: the hindsight section of the design page (scripts/hindsight_design.py) asks the target's question of
`evidence` against each view's best peer.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/evidence_design.py <suite|outside> [variant,...]
    python scripts/evidence_design.py --summary      # results/design/evidence.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
import numpy as np
from metahpo.metatuner import MetaTuner, PastConsensus
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT, SUITES
import rank_design

OUT = ROOT / 'evidence'

def log_bayes_factors(O:np.ndarray, y:np.ndarray, g:float|None=None) -> np.ndarray:
    "Per row of source scores O (sources x trials): the log Bayes factor of 'y is an affine map of the row plus noise' against 'y is a constant plus noise', Zellner's g-prior (default g = n); rows that run against y count as explaining nothing."
    n = len(y); g = float(n if g is None else g)
    yc, Oc = y - y.mean(), O - O.mean(1, keepdims=True)
    den = np.sqrt((Oc ** 2).sum(1) * (yc ** 2).sum())
    r = np.divide(Oc @ yc, den, out=np.zeros(len(O)), where=den > 0)
    r2 = np.clip(r, 0, 1 - 1e-12) ** 2
    return (n - 2) / 2 * np.log1p(g) - (n - 1) / 2 * np.log1p(g * (1 - r2))

class EvidenceConsensus(PastConsensus):
    "The past tasks' consensus, each source weighed by its similarity times its Bayes factor on this task's trials."
    def weights(self, O, y):
        if len(y) < self.min_trials: return self.prior
        lb = log_bayes_factors(O, y)
        w = self.prior * np.exp(lb - lb.max())
        return w if w.sum() > 0 else self.prior

class Evidence(MetaTuner):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.past: self.consensus = EvidenceConsensus(self.space, self.past, self._prior)

VARIANTS = {'base': dict(n_warm=3), 'evidence': dict(cls=Evidence, n_warm=3)}

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--summary':
        rank_design.summary(folder=OUT, csv=ROOT / 'evidence.csv', refs=lambda v: ('base',) if v != 'base' else ()); sys.exit()
    _args.view(sys.argv[1], SUITES)
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
