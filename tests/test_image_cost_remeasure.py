"""scripts/image_cost_remeasure.py sets each re-measured point beside its recorded twin in the shipped base, and its
family estimate counts every CIFAR-10 task at the re-measured rate (a few seconds: no training)."""
import sys
from dataclasses import replace
from pathlib import Path
import pandas as pd, pytest
from metahpo.experience import shipped_experience_path
from metahpo.repository import Repository, read_export
from metahpo.space import SearchSpace, Ordinal
from metahpo.metadataset_nn import image_tasks

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'scripts'))
from image_cost_remeasure import compare, family_estimate, per_task, trials

STUDY = 'meta-resnet50-grid-cifar10-bird-frog-seed0'

@pytest.fixture(scope='module')
def shipped():
    ex = read_export(shipped_experience_path())
    if STUDY not in ex.studies: pytest.skip(f"the shipped base holds no {STUDY}")
    return ex

def test_points_meet_their_recorded_twins(shipped, tmp_path):
    s = shipped.studies[STUDY]
    recorded = [t for n, t in shipped.trials if n == STUDY][:3]
    with Repository(tmp_path / 'again.db') as repo:  # the same three points, at half the CPU seconds
        st = repo.study(STUDY, shipped.tasks[s['task']], s['space'], s['tuner'], s['metric'], s['direction'], seed=s['seed'])
        repo.record_many(st, [replace(t, cost=replace(t.cost, cpu_s=t.cost.cpu_s / 2)) for t in recorded])
    m = compare(tmp_path / 'again.db')
    assert len(m) == 3 and set(m.task) == {'cifar10-bird-frog'}
    assert (m.cpu_s_recorded / m.cpu_s_new).round(9).eq(2).all()
    assert (m.val_accuracy_new == m.val_accuracy_recorded).all()
    g = per_task(m)  # the summary the families page shows
    assert g.loc['cifar10-bird-frog', ['points', 'same_val_accuracy']].tolist() == [3, 3]
    assert g.loc['cifar10-bird-frog', 'ratio'] == pytest.approx(2) and g.loc['cifar10-bird-frog', 'spearman'] == pytest.approx(1)
    est = family_estimate(m, trials(pd.read_parquet(shipped_experience_path())))
    n_cifar = sum(t.startswith('cifar10-') for t in image_tasks())
    assert est['cifar_tasks'] == n_cifar
    assert est['family_cpu_h'] == pytest.approx(n_cifar * m.cpu_s_new.sum() / 3600 + est['other_cpu_h'])

def test_a_point_without_a_twin_is_refused(shipped, tmp_path):
    s = shipped.studies[STUDY]
    t = [t for n, t in shipped.trials if n == STUDY][0]
    lr = s['space']['learning_rate']  # a learning rate the shipped grid lacks (a repository records only configurations of its study's space)
    wider = SearchSpace([Ordinal(lr.name, (*lr.values, 0.5)) if p is lr else p for p in s['space']], name=s['space'].name)
    with Repository(tmp_path / 'odd.db') as repo:
        st = repo.study(STUDY, shipped.tasks[s['task']], wider, s['tuner'], s['metric'], s['direction'], seed=s['seed'])
        repo.record_many(st, [replace(t, config={**t.config, 'learning_rate': 0.5})])
    with pytest.raises(SystemExit, match='no recorded twin'): compare(tmp_path / 'odd.db')

def test_a_missing_or_empty_repository_is_refused(tmp_path):
    with pytest.raises(SystemExit, match='no repository at'): compare(tmp_path / 'absent.db')
    assert not (tmp_path / 'absent.db').exists()  # nothing created on the way
    Repository(tmp_path / 'empty.db').close()
    with pytest.raises(SystemExit, match='holds no complete trial'): compare(tmp_path / 'empty.db')
