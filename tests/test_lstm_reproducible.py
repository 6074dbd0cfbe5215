"The LSTM trainer reproduces its scores bit for bit from one process to the next, whatever thread count the process's environment gives torch."
import importlib.util, json, os, subprocess, sys
import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec('torch') is None, reason="needs torch (the dl extra)")

TRAIN = """
import json, sys, numpy as np, pandas as pd, torch
from metahpo.trainers.lstm import LSTMTrainer
y = pd.Series(np.sin(np.arange(800) / 4.0) + 0.1 * np.random.default_rng(0).standard_normal(800))
obj = LSTMTrainer(y, window=48, horizon=24, period=24, max_train_windows=64, epoch_scale=0.1, seed=3, device='cpu')
m = obj(dict(learning_rate=0.01, batch_size=16, epochs=20))
print(json.dumps(dict(torch_threads=torch.get_num_threads(), metrics={k: v.hex() for k, v in m.items() if k != 'train_s'})))
"""

def train_in_a_process(threads:int) -> dict:
    "A tiny configuration trained in a fresh process whose environment sets `threads` torch threads; its metrics as exact hex floats."
    env = {**os.environ, 'OMP_NUM_THREADS': str(threads), 'MKL_NUM_THREADS': str(threads)}
    r = subprocess.run([sys.executable, '-c', TRAIN], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])

def test_two_sittings_same_scores():
    one, two = train_in_a_process(1), train_in_a_process(2)
    assert (one['torch_threads'], two['torch_threads']) == (1, 2)  # the two processes' torch really had other counts
    assert one['metrics'] == two['metrics']  # bit for bit: the trainer trains on its own count
    assert float.fromhex(one['metrics']['n_threads']) == 1
