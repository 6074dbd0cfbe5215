"""Meta-features computed now for tasks the shipped experience holds reproduce the stored vectors, so a new task is
compared with past ones on one scale (a change to an extractor that moves them shows up here, not in a replay).

A few cheap tasks per neural modality, read from the shared data folder as the family's protocol reads them (about 5 s)."""
import os
from pathlib import Path
import numpy as np, pandas as pd, pytest
from conftest import ROOT
from metahpo.experience import load_experience
from metahpo.metadataset_nn import LSTMProtocol, TextProtocol, ImageProtocol
from metahpo.metafeatures import metafeatures, TimeSeriesMetaFeatures

DATA = Path(os.environ.get('METAHPO_DATA_DIR', ROOT.parent / 'shared' / 'data')).resolve()
CASES = [('timeseries', LSTMProtocol, 'uci-MT_002'), ('timeseries', LSTMProtocol, 'taylor'), ('timeseries', LSTMProtocol, 'etth1-OT'),
         ('text', TextProtocol, 'sms_spam'), ('text', TextProtocol, 'mpqa'), ('image', ImageProtocol, 'digits')]

@pytest.fixture(scope='module')
def stored():
    return {m: load_experience().meta_features(modality=m) for m in ('timeseries', 'text', 'image')}

@pytest.mark.parametrize('modality,protocol,task', CASES)
def test_stored_meta_features_reproduce(stored, modality, protocol, task):
    if not (DATA / 'electricity').is_dir(): pytest.skip(f"no shared data folder at {DATA}")
    p = protocol()
    now = p.describe(task, p.load(task, DATA))
    want = stored[modality].loc[task, list(now)]
    np.testing.assert_allclose(pd.Series(now).to_numpy(), want.to_numpy(), rtol=0, atol=1e-12, err_msg=f'{modality} task {task}')

def test_electricity_target_reproduces(stored):
    "The seed task, as `record_seed_metafeatures` describes it (its experience is the LSTM family's)."
    p = DATA / 'electricity' / 'uci_ld2011_2014_MT001-MT010_hourly_6000steps.csv.gz'
    if not p.is_file(): pytest.skip(f"no electricity data at {p}")
    now = metafeatures('timeseries', pd.read_csv(p)['MT_001'].to_numpy(dtype=float), period=24, freq='h', seed=0)
    np.testing.assert_allclose(list(now.values()), stored['timeseries'].loc['electricity', list(now)].to_numpy(), rtol=0, atol=1e-12)

def test_rescaling_the_stored_series_moves_no_feature():
    "The series is scaled by a power of two before the shape features: exact, so the stored values (computed before) stand bit for bit."
    p = DATA / 'electricity' / 'uci_ld2011_2014_MT001-MT010_hourly_6000steps.csv.gz'
    if not p.is_file(): pytest.skip(f"no electricity data at {p}")
    x = pd.read_csv(p)['MT_003'].to_numpy(dtype=float)
    ts = TimeSeriesMetaFeatures()
    assert ts.extract(x * 2.0 ** 40, period=24, freq='h') == ts.extract(x, period=24, freq='h')
