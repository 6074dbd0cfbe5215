"""Design study of issue 16 (twenty-fourth round), on META-TRAIN and META-VALIDATION tasks: the YAHPO start that
today's offline table picks, run as a whole tuner.

The sixteenth round (scripts/yahpo_start_design.py) chose MetaTuner's first three proposals on lcbench and
rbv2_xgboost (where past tasks share no configuration) by an offline rule fixed before its runs: of `rank-et`,
`cover-xgb` and `rank-xgb`, the start with the lowest mean regret after 3 over the two suites' `train-loo` views. On
its table that was `rank-et`, which it then ran as a whole tuner and did not adopt. Its offline table, regenerated on
today's suites (`scripts/design_regenerate.py`: rbv2_xgboost's meta-train view has since left out two tasks without a
usable AUC), picks `cover-xgb` (XGBoost per past task, Syne Tune's zero-shot regressor, then MetaTuner's min-max greedy
portfolio). `cover-xgb` was never run as a whole tuner. This round runs it, as the sixteenth round ran its choice.

`start` is the committed MetaTuner whose first three proposals, where past tasks share no configuration, are
`cover-xgb`'s; `base` is the committed MetaTuner, run again beside it (its code and rbv2_xgboost's meta-train view
changed since the sixteenth round's `base` runs). Views: each suite's meta-validation tasks (meta-train as experience)
and its meta-train tasks left out in turn (`<suite>-train`). One seed (MetaTuner's runs on finite candidate sets do
not depend on it). It never reads a meta-test task.

**Rule, fixed before the runs (the sixteenth round's):** `start` replaces MetaTuner's start where past tasks share no
configuration if its pooled interval against `base` (meta-validation and meta-train tasks together) lies below zero
after 5, 10 or 25 on both suites, and no interval (pooled or of a single view, at any k) lies above zero.

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data OMP_NUM_THREADS=1 python scripts/yahpo_xgb_start_design.py <lcbench|rbv2_xgboost>[-train] [variant,...]
    python scripts/yahpo_xgb_start_design.py --pooled      # results/design/yahpo-xgb-start-pooled.csv, the verdict
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import _args, sys, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cover_design import ROOT
from yahpo_start_design import ChosenStart, VIEWS
import rank_design, impute_design

OUT = ROOT / 'yahpo-xgb-start'
CHOSEN = 'cover-xgb'  # today's offline table's pick by the sixteenth round's rule (results/design/regenerated/yahpo-start-offline.csv)

class XgbStart(ChosenStart):
    "The committed MetaTuner whose first proposals, where the past tasks share no configuration, are `cover-xgb`'s."
    START = CHOSEN

VARIANTS = {'base': dict(n_warm=3), 'start': dict(cls=XgbStart, n_warm=3)}

def verdict(t):
    "The rule above, read from the pooled table."
    below = {s: bool(((t.suite == s) & (t.view == 'pooled') & t.k.isin([5, 10, 25]) & (t.hi < 0)).any()) for s in VIEWS}
    above = t[t.lo > 0]
    done = set(t.suite) == set(VIEWS) and (t.view == 'meta-train').sum() > 0 and (t.view == 'meta-val').sum() > 0
    print('pooled interval below zero after 5, 10 or 25:', below, '| intervals above zero:',
          [f'{r.suite} {r.view} after {r.k}' for r in above.itertuples()] or 'none')
    print('cover-xgb start adopted:', ('yes' if all(below.values()) and not len(above) else 'no (the committed MetaTuner stays)') if done else 'not every view has run yet')

if __name__ == '__main__':
    _args.need(__doc__)
    if sys.argv[1] == '--pooled':
        verdict(impute_design.pooled(folder=OUT, variant='start', csv=ROOT / 'yahpo-xgb-start-pooled.csv')); sys.exit()
    _args.view(sys.argv[1], [*VIEWS, *(f'{v}-train' for v in VIEWS)])
    rank_design.run(sys.argv[1], _args.variants(VARIANTS), OUT, VARIANTS)
