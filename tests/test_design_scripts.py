"""The design page's study scripts (scripts/*_design.py): a command the page names either remakes its file or says what to
run first; nothing here trains or tunes."""
import sys
from pathlib import Path
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'scripts'))

def test_policy_logs_missing_say_how_to_make_them(tmp_path, monkeypatch):
    "`policy_design.py --cv` (and the policy runs) read git-ignored logs: without them, one line naming the missing logs and the command that makes them."
    import policy_design
    monkeypatch.setattr(policy_design, 'LOGS', tmp_path / 'logs')
    with pytest.raises(SystemExit, match=r"no --log log of rf-grid-train, lstm-train .*policy_design.py --log rf-grid-train,lstm-train`"):
        policy_design.read_logs(['rf-grid-train', 'lstm-train'])
    with pytest.raises(SystemExit, match=r"no --log log of rf-grid-train, rf-wide-train"):
        policy_design.cv_check()
    (tmp_path / 'logs').mkdir(); policy_design.pd.DataFrame({'task': ['a'], 'view': ['rf-grid-train']}).to_parquet(tmp_path / 'logs' / 'rf-grid-train.parquet')
    assert len(policy_design.read_logs(['rf-grid-train'])) == 1  # the logs that are there are read
    with pytest.raises(SystemExit, match=r"no --dagger log of rf-grid-train .*--dagger rf-grid-train`, after --log"):
        policy_design.read_logs(['rf-grid-train'], dagger=True)
