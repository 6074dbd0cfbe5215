"""Design study of issue 16 (eighth round), on META-TRAIN and META-VALIDATION tasks (and the outside tables) only:
the meta-learned surrogate in another role, proposing the first configurations.

In every earlier round the surrogate acted only after the warm start, and by then the consensus of the past tasks
had left it nothing to decide. Issue 16 names a third known-good design: a network conditioned on meta-features that
proposes the first configurations. MetaTuner's surrogate is such a network, f(configuration, meta-features),
meta-trained across the past tasks (Reptile or first-order MAML); here it is asked, before any trial, what it predicts
for the new task, and its predictions choose the warm start. Replayed offline on the recorded grids (as
scripts/similarity_design.py; nothing is trained but the surrogates). Variants (the first `K` proposals, read against
the tuned task's recorded grid):

- `ours`: the committed warm start (similarity-weighted greedy portfolio).
- `sur-top`: the configurations the Reptile-meta-trained surrogate, unadapted, ranks highest for the new task's
  meta-features (its ensemble's mean), best first.
- `sur-top-fomaml`: the same with first-order MAML.
- `sur-cover`: a greedy portfolio over the Reptile ensemble's members, each member's predictions one pseudo-task
  (hedges where the members disagree; then the lowest mean regret over the members).
- `sur-first`: the surrogate's top configuration first, then the committed portfolio continued from it.

No meta-training ("none" in the other rounds: the same network fitted on the new task's trials only) has nothing to
predict from before the first trial, so it has no warm start to compare. The surrogates are the committed
MetaTuner's (`default_surrogate`, seed 0), without the predictive spread's calibration (which changes no mean), one
fitted per experience base. Suites with meta-features only (rf-grid, rf-wide, lstm, text, image; on the YAHPO suites
every task's meta-features are alike and the network's prediction is one order for all).

Views, all outside meta-test: `meta-val`, `train-loo`, and rf-grid's `outside` (as scripts/similarity_design.py);
`pooled` pools a view's tasks over the suites. Rule, fixed before any result of this study was seen (the fifth and
seventh rounds' rule): a variant is adopted if its pooled interval against `ours` lies below zero after some k up to
10 in both `meta-val` and `train-loo` (or in `outside`) and above zero in no pooled view after any k up to 10.
Writes results/design/surrogate-warm.csv (mean regret after k; each variant minus `ours` with a paired 95% bootstrap
interval over tasks; negative: the variant lower).

    PYTHONPATH=. METAHPO_DATA_DIR=../shared/data python scripts/surrogate_warm_design.py

The committed CSV was made with the experience base of commit 0057ea5, before the LSTM family's R series were
added (its LSTM views hold the first 26 series' 5 meta-validation and 14 meta-train tasks); run on a later base,
the LSTM views hold that base's.
"""
import _args; _args.on_help(__doc__, __name__)  # -h/--help: this docstring, before anything runs
import sys, numpy as np, pandas as pd, warnings; warnings.filterwarnings('ignore')
from pathlib import Path
from metahpo.metatuner import greedy_portfolio, default_surrogate
from metahpo.reptile import net_inputs
sys.path.insert(0, str(Path(__file__).resolve().parent))
from warm_start_offline import K
from similarity_design import replay, summarise, write_and_show

SUITES = ('rf-grid', 'rf-wide', 'lstm', 'text', 'image')
VARIANTS = ('ours', 'sur-top', 'sur-top-fomaml', 'sur-cover', 'sur-first')
OUT = Path(__file__).resolve().parents[1] / 'results' / 'design' / 'surrogate-warm.csv'

def member_predictions(tuner, algorithm, X, cache):
    "Each ensemble member's prediction for the configurations X on the tuned task: rows are members (meta-trained once per experience base)."
    key = (algorithm, tuner.space.name, tuple(e.task.name for e in tuner.past))
    if key not in cache:
        s = default_surrogate(algorithm); s.calibrate = False
        cache[key] = s.fit(tuner.past_tasks())
    import torch
    with torch.no_grad(): return np.stack([net(net_inputs(X, tuner._z)).squeeze(-1).numpy() for net in cache[key].members_])

def proposals(variant, tuner, S, configs, cache):
    if variant == 'ours': return tuner._queue
    X = tuner.space.encode_many(configs)
    P = member_predictions(tuner, 'fomaml' if variant.endswith('fomaml') else 'reptile', X, cache)
    order = list(np.argsort(-P.mean(0), kind='stable'))
    if variant.startswith('sur-top'): idx = order[:K]
    elif variant == 'sur-cover': idx = greedy_portfolio(P, K)
    elif variant == 'sur-first': idx = greedy_portfolio(S, K, tuner._prior, chosen=[order[0]])
    else: raise ValueError(variant)
    return [configs[j] for j in idx]

if __name__ == '__main__':
    cache = {}
    res = pd.concat([replay(s, VARIANTS, lambda v, tu, S, configs, _: proposals(v, tu, S, configs, cache)) for s in SUITES])
    write_and_show(summarise(res), OUT)
