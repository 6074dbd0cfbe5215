"A trial on the CPU leaves the caller's GPU generators alone: `torch.manual_seed` in a trial reseeded every GPU (or queued that until CUDA starts), and the trainers put back only the CPU's and their own device's."
import importlib.util
import numpy as np, pandas as pd, pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec('torch') is None, reason="needs torch (the dl extra)")

@pytest.fixture
def gpu_seeds(monkeypatch):
    "The seeds anything gives `torch.cuda.manual_seed_all` (which `torch.manual_seed` calls) while the test runs."
    import torch
    seen = []
    monkeypatch.setattr(torch.cuda, 'manual_seed_all', seen.append)
    return seen

def test_lstm_cpu_trial_leaves_gpu_generators(gpu_seeds):
    from metahpo.trainers.lstm import LSTMTrainer
    y = pd.Series(np.sin(np.arange(400) / 4.0))
    m = LSTMTrainer(y, window=48, horizon=24, max_train_windows=16, epoch_scale=0.05, seed=7, device='cpu')(dict(learning_rate=0.01, batch_size=16, epochs=20))
    assert np.isfinite(m['val_mse'])
    assert gpu_seeds == []

@pytest.mark.filterwarnings("ignore:batch_size .* is more than the .* training images")  # a tiny set on purpose: the trial runs batch 32
def test_resnet_cpu_trial_leaves_gpu_generators(gpu_seeds):
    from metahpo.trainers.resnet import ResNetTrainer
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 256, (40, 8, 8, 3), dtype=np.uint8), np.arange(40) % 2
    m = ResNetTrainer(x, y, x, y, stem='imagenet', epoch_scale=0.1, seed=7, device='cpu', threads=1)({'learning_rate': 0.01, 'batch_size': 32, 'epochs': 10})
    assert m['steps'] == 1
    assert gpu_seeds == []

@pytest.mark.filterwarnings("ignore:batch_size .* is more than the .* training images")  # a tiny set on purpose: the trial runs batch 32
def test_numpy_seed_is_a_seed():
    "A NumPy integer is a seed like its int: it was taken when the trainer was made, then every trial failed (torch.Generator.manual_seed, random.seed: 'an integer is required')."
    from metahpo.trainers.lstm import LSTMTrainer
    from metahpo.trainers.bert import BertTrainer
    from metahpo.trainers.resnet import ResNetTrainer
    y = pd.Series(np.sin(np.arange(400) / 4.0))
    run = lambda seed: LSTMTrainer(y, window=48, horizon=24, max_train_windows=16, epoch_scale=0.05, seed=seed, device='cpu')(dict(learning_rate=0.01, batch_size=16, epochs=20))
    assert run(np.int64(7))['val_mse'] == run(7)['val_mse']
    df = pd.DataFrame({'text': ['good', 'bad'] * 20, 'label': [1, 0] * 20})
    assert type(BertTrainer(df, df, seed=np.int64(7)).seed) is int  # transformers.set_seed -> random.seed refuses NumPy's integers
    x, yy = np.zeros((40, 8, 8, 3), np.uint8), np.arange(40) % 2
    assert type(ResNetTrainer(x, yy, x, yy, seed=np.uint32(7)).seed) is int
