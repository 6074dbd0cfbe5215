"Grid and random search on Titanic reproduce exactly under a seed: the same configurations and the same metrics."
import subprocess
import pytest
from metahpo.repository import Repository

@pytest.mark.parametrize('tuner', ['grid-shuffled', 'random'])
def test_same_seed_same_study(tmp_path, metahpo_cmd, tuner):
    runs = []
    for i in range(2):
        db = tmp_path / f'run{i}.db'
        r = subprocess.run([metahpo_cmd, 'tune', '--tuner', tuner, '--budget', '2', '--seed', '7', '--repo', str(db), '--no-progress'],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        with Repository(db) as repo: runs.append([(t.config, t.metrics) for t in repo.trials(f'titanic-random_forest-{tuner}-seed7')])
    assert len(runs[0]) == 2 and runs[0] == runs[1]
