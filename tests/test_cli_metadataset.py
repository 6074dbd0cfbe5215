"`metahpo metadataset` builds, resumes and reports; `metahpo experience` rebuilds an experience base from it."
import os, subprocess
from pathlib import Path
import pytest
from metahpo.experience import load_experience

DATA = Path(os.environ.get('METAHPO_DATA_DIR', Path(__file__).resolve().parents[2] / 'shared' / 'data'))
needs_pmlb = pytest.mark.skipif(not (DATA / 'pmlb').exists(), reason=f"no PMLB data under {DATA}: set METAHPO_DATA_DIR")

def run(cmd, *args, env=None):
    return subprocess.run([cmd, *map(str, args)], capture_output=True, text=True, timeout=300, env=env)

@needs_pmlb
def test_build_resume_and_export(tmp_path, metahpo_cmd):
    db, args = tmp_path / 'm.db', ['--tasks', 'parity5,labor', '--n-configs', '3', '--data-dir', DATA, '--no-progress']
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert r.returncode == 0, r.stderr
    assert 'tasks: 2 (2 complete, 0 failed); evaluations added: 6' in r.stdout
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert 'evaluations added: 0' in r.stdout  # resumed: nothing to do
    out = tmp_path / 'exp.parquet'
    r = run(metahpo_cmd, 'experience', '--repo', db, '--out', out)
    assert r.returncode == 0 and '2 tasks from 2 studies, 6 evaluations' in r.stdout, r.stdout + r.stderr
    ex = load_experience(out)
    assert ex.task_names == ['labor', 'parity5'] and len(ex.meta_features()) == 2

def test_no_data_dir_is_a_clear_error(tmp_path, metahpo_cmd):
    env = {k: v for k, v in os.environ.items() if k != 'METAHPO_DATA_DIR'}
    r = run(metahpo_cmd, 'metadataset', '--repo', tmp_path / 'm.db', '--no-progress', env=env)
    assert r.returncode == 2 and 'no data directory: set METAHPO_DATA_DIR' in r.stderr
    r = run(metahpo_cmd, 'metadataset', '--family', 'lstm', '--tasks', 'sm-nile,uci-MT_002', '--n-configs', '1', '--repo', tmp_path / 'l.db', '--no-progress', env=env)
    assert r.returncode == 2 and "no data directory: set METAHPO_DATA_DIR" in r.stderr and "task(s) uci-MT_002 read" in r.stderr, r.stdout + r.stderr
    assert not (tmp_path / 'l.db').exists()  # refused before building: sm-nile was built and uci-MT_002 failed in the summary, exit status 0

needs_series = pytest.mark.skipif(not (DATA / 'electricity').exists(), reason=f"no electricity data under {DATA}: set METAHPO_DATA_DIR")

@needs_series
def test_lstm_family_builds_resumes_and_merges(tmp_path, metahpo_cmd):
    "`--family lstm` builds the LSTM meta-dataset (two short series here) and `ship_experience.py` merges it into a base, losing nothing."
    db, args = tmp_path / 'l.db', ['--family', 'lstm', '--tasks', 'sm-nile,sm-macro-unemp', '--n-configs', '2', '--seed', '1', '--data-dir', DATA, '--no-progress']
    r = run(metahpo_cmd, 'metadataset', '--repo', db, *args)
    assert r.returncode == 0 and 'tasks: 2 (2 complete, 0 failed); evaluations added: 4' in r.stdout, r.stdout + r.stderr
    assert 'evaluations added: 0' in run(metahpo_cmd, 'metadataset', '--repo', db, *args).stdout  # resumed
    bad = run(metahpo_cmd, 'metadataset', '--repo', db, '--family', 'lstm', '--tasks', 'uci-MT_001', '--data-dir', DATA, '--no-progress')
    assert bad.returncode == 2 and "unknown LSTM meta-dataset task(s) ['uci-MT_001']" in bad.stderr  # the electricity target is never its own experience
    out = tmp_path / 'base.parquet'
    script = Path(__file__).resolve().parents[1] / 'scripts' / 'ship_experience.py'
    r = subprocess.run([os.sys.executable, script, db, '--out', out, '--min-trials', '3'], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "0 studies match 'meta-*' with at least 3 trial(s)" in r.stdout, r.stdout + r.stderr  # partial studies wait
    assert load_experience(out).n_evaluations == load_experience().n_evaluations
    r = subprocess.run([os.sys.executable, script, db, '--out', out], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    new, old = load_experience(out), load_experience()
    assert {e.study for e in old} <= {e.study for e in new}  # nothing of the shipped base lost
    assert {e.study: len(e) for e in new if e.study not in {o.study for o in old}} == {'meta-lstm-grid-sm-nile-seed1': 2, 'meta-lstm-grid-sm-macro-unemp-seed1': 2}
    assert new.n_evaluations == old.n_evaluations + 4

def _ship_script(base):
    "scripts/ship_experience.py as a module whose shipped base is `base` (a copy): a test never writes the package's file."
    import importlib.util
    spec = importlib.util.spec_from_file_location('ship_experience', Path(__file__).resolve().parents[1] / 'scripts' / 'ship_experience.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    mod.shipped_experience_path = lambda: base
    return mod

def test_ship_experience_takes_a_study_built_again(tmp_path, capsys):
    "A study of the base built again from scratch (other trials, the same configurations and values) is no conflict: nothing new, the base untouched; other values are refused by name; new meta-features are something new."
    import dataclasses, shutil, uuid
    from metahpo.experience import shipped_experience_path, build_experience
    from metahpo.repository import Repository
    name = 'meta-lstm-grid-sm-nile-seed0'
    with Repository(tmp_path / 'full.db') as full:
        full.import_parquet(shipped_experience_path())
        s, ts = full.get_study(name), full.trials(name)
    def build_again(path, change=None):  # the same configurations measured again: new trials (new uids)
        with Repository(path) as r:
            rec = r.study(name, dataclasses.replace(s.task, task_id=None), s.space, s.tuner, s.metric, s.direction, s.seed, s.protocol)
            again = [dataclasses.replace(t, uid=uuid.uuid4().hex, number=None) for t in ts[:5]]
            if change: again[0] = dataclasses.replace(again[0], value=change, metrics={**again[0].metrics, s.metric: change})
            r.record_many(rec, again)
    base = tmp_path / 'base.parquet'; shutil.copyfile(shipped_experience_path(), base)
    ship = _ship_script(base)
    build_again(tmp_path / 'same.db')
    mtime = base.stat().st_mtime_ns
    assert ship.main([str(tmp_path / 'same.db'), '--studies', name]) == 0
    out = capsys.readouterr()
    assert '0 new studies, 0 new trials; 5 evaluation(s) the base already holds, measured again with the same values, left out' in out.out, out
    assert 'nothing new' in out.out and base.stat().st_mtime_ns == mtime  # the base is not written again
    assert 'part0-0.parquet' not in out.out + out.err  # the script's temporary files are not named
    build_again(tmp_path / 'other.db', change=ts[0].value * 0.5)
    with pytest.raises(SystemExit) as e: ship.main([str(tmp_path / 'other.db'), '--studies', name])
    assert f'refused: study {name} of {tmp_path / "other.db"} measures 1 configuration(s) the base holds with another value' in str(e.value.code), e.value.code
    assert base.stat().st_mtime_ns == mtime
    with Repository(tmp_path / 'bare.db') as r:  # a base whose sm-nile has no meta-features; a build that has them adds them
        r.import_parquet(shipped_experience_path())
        r._con.execute("UPDATE tasks SET meta_features='{}' WHERE name='sm-nile'"); r._con.commit()
    build_experience(tmp_path / 'bare.db', base)
    assert not next(t for t in ship.load_experience(base).tasks if t.name == 'sm-nile').meta_features
    with Repository(tmp_path / 'same.db') as r: r.add_task(dataclasses.replace(s.task, task_id=None))  # its build recorded them
    assert ship.main([str(tmp_path / 'same.db'), '--studies', name]) == 0
    assert 'nothing new' not in capsys.readouterr().out
    assert next(t for t in ship.load_experience(base).tasks if t.name == 'sm-nile').meta_features == s.task.meta_features

@needs_series
def test_tune_describes_a_seed_task_its_experience_does_not(tmp_path, metahpo_cmd):
    "`metahpo tune --task electricity --tuner meta` on experience built without `--seed-tasks` computes the task's meta-features from its data (they had counted every past task alike)."
    import dataclasses, uuid
    from metahpo.experience import shipped_experience_path
    from metahpo.repository import Repository
    with Repository(tmp_path / 'base.db') as base:
        base.import_parquet(shipped_experience_path())
        studies = [(s, base.trials(s)) for s in base.studies() if s.name.startswith('meta-lstm-grid-sm-')][:4]
    with Repository(tmp_path / 'mine.db') as r:  # four LSTM studies, as a user's own build holds them: no seed task among its tasks
        for s, ts in studies:
            rec = r.study(s.name, dataclasses.replace(s.task, task_id=None), s.space, s.tuner, s.metric, s.direction, s.seed, s.protocol)
            r.record_many(rec, [dataclasses.replace(t, uid=uuid.uuid4().hex, number=None) for t in ts])
    r = run(metahpo_cmd, 'experience', '--repo', tmp_path / 'mine.db', '--out', tmp_path / 'mine.parquet')
    assert r.returncode == 0, r.stderr
    r = run(metahpo_cmd, 'tune', '--task', 'electricity', '--tuner', 'meta', '--experience', tmp_path / 'mine.parquet', '--budget', '1',
            '--repo', tmp_path / 't.db', '--data-dir', DATA, '--no-progress')
    assert r.returncode == 0 and 'the meta-features of electricity computed from its data (the base holds none)' in r.stderr, r.stdout + r.stderr
    assert '  nearest: ' in r.stderr and 'all past tasks count alike' not in r.stderr, r.stderr
    with Repository(tmp_path / 't.db') as repo: assert repo.get_study('electricity-lstm-meta-seed0').task.meta_features  # recorded with the study

@pytest.mark.skipif(not (DATA / 'text').exists() or not (DATA / 'cifar10').exists(), reason=f"no text or CIFAR-10 data under {DATA}: set METAHPO_DATA_DIR")
def test_neural_families_never_build_their_targets(tmp_path, metahpo_cmd):
    "The text and image families refuse their seed-plan targets as past tasks, and an unknown family is named with the choices."
    for family, task, msg in (('bert', 'imdb', "unknown text meta-dataset task(s) ['imdb']"),
                              ('resnet50', 'cifar10', "unknown image meta-dataset task(s) ['cifar10']")):
        r = run(metahpo_cmd, 'metadataset', '--repo', tmp_path / 'x.db', '--family', family, '--tasks', task, '--data-dir', DATA, '--no-progress')
        assert r.returncode == 2 and msg in r.stderr, r.stderr
    r = run(metahpo_cmd, 'metadataset', '--repo', tmp_path / 'x.db', '--family', 'cnn', '--data-dir', DATA, '--no-progress')
    assert r.returncode == 2 and "unknown --family 'cnn'; choose one of: random_forest, lstm, bert, resnet50" in r.stderr, r.stderr

@needs_series
def test_full_profile_builds_apart(tmp_path, metahpo_cmd):
    "`--profile full` builds a neural family at the seed plan's scale into studies named apart; the forest has one profile."
    db = tmp_path / 'f.db'
    r = run(metahpo_cmd, 'metadataset', '--repo', db, '--family', 'lstm', '--profile', 'full', '--tasks', 'sm-nile', '--n-configs', '1', '--data-dir', DATA, '--no-progress')
    assert r.returncode == 0 and 'evaluations added: 1' in r.stdout, r.stdout + r.stderr
    from metahpo.repository import Repository
    with Repository(db) as repo: assert [s.name for s in repo.studies()] == ['meta-lstm-grid-sm-nile-seed0-full']
    r = run(metahpo_cmd, 'metadataset', '--repo', db, '--profile', 'full', '--data-dir', DATA, '--no-progress')
    assert r.returncode == 2 and "the random forest has one profile" in r.stderr, r.stderr

FAILING = """
import sys
from metahpo.trainers.rf import RandomForestTrainer
fit = RandomForestTrainer.__call__
def call(self, config):  # every evaluation of the task named 'flaky' fails, as a fit that runs out of memory would
    if self.name == 'flaky': raise RuntimeError('this fit fails')
    return fit(self, config)
RandomForestTrainer.__call__ = call
from metahpo.cli import main
sys.exit(main(sys.argv[1:]))
"""

@needs_pmlb
def test_a_task_whose_evaluations_fail_is_not_called_complete(tmp_path):
    """A table that every configuration fails on is reported as such, not as complete; tables the trainer refuses (an infinite
    value, a value beyond float32's range) are failed tasks with the reason; none enters the experience."""
    import sys
    import pandas as pd
    d = tmp_path / 'data' / 'pmlb'; d.mkdir(parents=True)
    good = pd.read_csv(DATA / 'pmlb' / 'labor.tsv.gz', sep='\t')
    for name, table in (('labor', good), ('flaky', good), ('huge', good.assign(**{good.columns[0]: 1e300})),  # finite, beyond float32: every fit failed before
                        ('broken', good.assign(**{good.columns[0]: float('inf')}))):
        table.to_csv(d / f'{name}.tsv.gz', sep='\t', index=False)
    pd.DataFrame(dict(dataset=['labor', 'flaky', 'huge', 'broken'], problem_type='classification')).to_csv(d / 'INDEX.csv', index=False)
    db = tmp_path / 'm.db'
    r = run(sys.executable, '-c', FAILING, 'metadataset', '--repo', db, '--tasks', 'labor,flaky,huge,broken', '--n-configs', '2', '--data-dir', tmp_path / 'data', '--no-progress')
    assert r.returncode == 0, r.stderr
    assert 'tasks: 4 (1 complete, 2 failed, 1 with failed configurations)' in r.stdout, r.stdout
    assert 'flaky: 2 configuration(s) failed at every evaluation, of 2 evaluation(s) (none usable' in r.stdout and 'this fit fails' in r.stderr, r.stdout + r.stderr
    assert "failed huge: MetahpoError: X's column" in r.stdout and "beyond float32's range" in r.stdout, r.stdout
    assert "failed broken: MetahpoError: X's column" in r.stdout and 'infinite value(s)' in r.stdout, r.stdout
    out = tmp_path / 'exp.parquet'
    assert run(sys.executable, '-m', 'metahpo', 'experience', '--repo', db, '--out', out).returncode == 0
    assert load_experience(out).task_names == ['labor']

ONCE = """
import os, sys
from metahpo.trainers.rf import RandomForestTrainer
fit, calls = RandomForestTrainer.__call__, [0]
def call(self, config):  # with METAHPO_TEST_OOM set, the second evaluation runs out of memory, as a transient failure would
    calls[0] += 1
    if os.environ.get('METAHPO_TEST_OOM') and calls[0] == 2: raise MemoryError('out of memory (simulated)')
    return fit(self, config)
RandomForestTrainer.__call__ = call
from metahpo.cli import main
sys.exit(main(sys.argv[1:]))
"""

@needs_pmlb
def test_retry_failed_mends_a_transient_failure(tmp_path):
    "A resume skips a configuration that failed and its note names `--retry-failed`, which evaluates it again once; a second retry adds nothing."
    import sys
    db = tmp_path / 'm.db'
    build = lambda *extra, **env: run(sys.executable, '-c', ONCE, 'metadataset', '--repo', db, '--tasks', 'parity5', '--n-configs', '4',
                                      '--data-dir', DATA, '--no-progress', *extra, env={**os.environ, **env})
    r = build(METAHPO_TEST_OOM='1')
    assert r.returncode == 0 and 'evaluations added: 4' in r.stdout and 'out of memory (simulated)' in r.stderr, r.stdout + r.stderr
    r = build()  # a plain resume: nothing runs, and the note says how to mend it rather than pointing at warnings not printed
    assert 'tasks: 1 (0 complete, 0 failed, 1 with failed configurations); evaluations added: 0' in r.stdout, r.stdout
    assert '--retry-failed evaluates them again' in r.stdout and 'warnings above' not in r.stdout, r.stdout
    r = build('--retry-failed')
    assert r.returncode == 0 and 'tasks: 1 (1 complete, 0 failed); evaluations added: 1' in r.stdout, r.stdout + r.stderr
    r = build('--retry-failed')  # idempotent: nothing left to retry
    assert 'tasks: 1 (1 complete, 0 failed); evaluations added: 0' in r.stdout, r.stdout + r.stderr
    out = tmp_path / 'exp.parquet'
    r = run(sys.executable, '-m', 'metahpo', 'experience', '--repo', db, '--out', out)
    assert r.returncode == 0 and '4 evaluations' in r.stdout, r.stdout + r.stderr  # the mended configuration counts once

@needs_pmlb
def test_two_builders_count_only_their_own_evaluations(tmp_path, metahpo_cmd):
    "Two builders of one meta-dataset at once share its evaluations: each counts those it ran, so the two counts add up to the evaluations recorded (each had counted the other's too)."
    import re
    db = tmp_path / 'm.db'
    args = [metahpo_cmd, 'metadataset', '--repo', db, '--tasks', 'parity5,labor', '--n-configs', '8', '--data-dir', DATA, '--no-progress']
    ps = [subprocess.Popen(list(map(str, args)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in ps]
    assert all(p.returncode == 0 for p in ps), outs
    added = [int(re.search(r'evaluations added: (\d+)', o).group(1)) for o, _ in outs]
    from metahpo.repository import Repository
    with Repository(db) as r: n = r.n_trials()
    assert n == 16 and sum(added) == n, (added, n)
