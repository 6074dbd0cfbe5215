"""Design study of issue 16 (eighteenth round), on META-VALIDATION tasks and tasks from OUTSIDE the project: the
meta-learned surrogate models the new task's own trials, as residuals from the past tasks' consensus.

Every round that kept MetaTuner's surrogate as a second expert beside the consensus found that it changes almost no
decision with full experience, and the similarity-oracle and seventeenth rounds found that no way of weighing the past
tasks leads the transfer peers by much: what is left is to model the new task from its own trials. The fourth round
built FSBO's deep-kernel Gaussian process (scripts/dkgp_design.py: a network's features as the kernel, meta-trained
across the past tasks on the marginal likelihood by Reptile or FO-MAML) and, among its variants, `dkgp-res`: after the
consensus's first trials, expected improvement under a posterior whose prior mean is the consensus (mapped to this
task's scores by least squares) and whose deep-kernel GP models this task's residuals from it. That round ran it
beside the design of its day (five warm-start proposals) on the four suites' meta-validation tasks only; the hindsight
section of the design page later found it the MetaTuner with the lowest mean after 10 on rf-wide's meta-validation tasks
of every variant the rounds ran. Since then the warm start was cut to three proposals (the ninth round), and the
outside tables, the LSTM, text and image grids became design views. This round runs it as the whole tuner on every
view, beside the committed MetaTuner:

- `dkgp-res`: the committed MetaTuner (three warm-start proposals, the consensus's first trials) whose surrogate, from
  the fourth trial, is the residual deep-kernel GP meta-trained by Reptile (scripts/dkgp_design.py's `ResidualGP` and
  `DeepKernelGP`, unchanged);
- `dkgp-fomaml-res`, `dkgp-none-res`: the same meta-trained by first-order MAML, and not meta-trained (the kernel fitted
  to this task's residuals alone): Reptile against FO-MAML against none, as the issue asks;
- `base`: the committed MetaTuner; `nosur`: it without its surrogate (warm start and consensus). Both are run again
  beside them (they reproduce the fifteenth round's runs row for row on every view but rbv2_xgboost, whose experience
  is two meta-train tasks smaller since commit 8515041).

Views: every suite's meta-validation tasks (meta-train as experience) and the outside tables (rf-grid's meta-train and
meta-validation tasks as experience); one seed (MetaTuner's runs on finite candidate sets do not depend on it; the GP's
meta-training is seeded at 0). It never reads a meta-test task.

The rule, fixed before the runs (the sixth round's, stricter because the hindsight study singled `dkgp-res` out on
rf-wide's meta-validation tasks, which are therefore not independent evidence for it): `dkgp-res` replaces the
surrogate's role if its interval against `base` lies above zero on no view at any k, and below zero after 5, 10 or 25
on at least two views other than rf-wide. Reported beside it, deciding nothing: each residual GP against `nosur` after
10 (the issue's surrogate target), and FO-MAML and no meta-training against Reptile.

Added after the runs above, before its own runs, deciding nothing: the round's plain words on the design page read the
means after 10 as split by the kind of candidates (the residual GP lower where every task has the same 27 grid points,
higher where each task's candidates are its own sample of a larger space). That reading was made on the views that
produced it; `<suite>-train` checks it on other tasks: each meta-train task of rf-grid, rf-wide, lcbench and
rbv2_xgboost tuned with the other meta-train tasks as experience (`base` and `dkgp-res` only). The reading holds there
if `dkgp-res` minus `base` after 10 is below zero in mean on rf-grid-train and above zero in mean on the other three.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/residual_design.py <suite|outside> [variant,...]
    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/residual_design.py <suite>-train base,dkgp-res
    python scripts/residual_design.py --train      # results/design/residual-train.csv
    python scripts/residual_design.py --summary      # results/design/residual.csv
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT, SUITES
from dkgp_design import DeepKernelGP, ResidualGP
import rank_design

OUT = ROOT / 'residual'
VARIANTS = {'base': dict(n_warm=3), 'nosur': dict(n_warm=3, parts=('warm-start', 'consensus')),
            'dkgp-res': dict(cls=ResidualGP, n_warm=3, new_surrogate=lambda: DeepKernelGP('reptile', seed=0)),
            'dkgp-fomaml-res': dict(cls=ResidualGP, n_warm=3, new_surrogate=lambda: DeepKernelGP('fomaml', seed=0)),
            'dkgp-none-res': dict(cls=ResidualGP, n_warm=3, new_surrogate=lambda: DeepKernelGP('none', seed=0))}
TRAIN = ('rf-grid-train', 'rf-wide-train', 'lcbench-train', 'rbv2_xgboost-train')  # the check of the split's reading
REFS = {'dkgp-res': ('base', 'nosur'), 'dkgp-fomaml-res': ('base', 'nosur', 'dkgp-res'), 'dkgp-none-res': ('base', 'nosur', 'dkgp-res'), 'base': ('nosur',)}

def train_check(ks=(5, 10)):
    "`dkgp-res` minus `base` on the `-train` views after `ks`, paired 95% intervals, written to results/design/residual-train.csv; whether the split's reading holds (below zero in mean after 10 on rf-grid-train, above on the others)."
    out = rank_design.summary(ks, folder=OUT, csv=ROOT / 'residual-train.csv', refs=lambda v: ('base',) if v == 'dkgp-res' else (), views=TRAIN)
    d10 = out[out.k == 10].set_index('view')['diff']
    if len(d10) == len(TRAIN):
        print('the reading holds on the meta-train tasks:', bool(d10['rf-grid-train'] < 0 and (d10.drop('rf-grid-train') > 0).all()))
    return out

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--train': train_check(); sys.exit()
    if sys.argv[1] == '--summary':
        rank_design.summary(folder=OUT, csv=ROOT / 'residual.csv', refs=lambda v: REFS.get(v, ())); sys.exit()
    _args.view(sys.argv[1], SUITES + TRAIN)
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
