"""scripts/rerun_tasks.py on a copy of one committed run file (random search, seed 0, rf-grid's meta-test folder): a check
reruns any task and its control; a write is refused while a task's twins are left out (seconds: no meta-training)."""
import json, shutil, sys
from pathlib import Path
import pandas as pd, pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'scripts'))
FOLDER = ROOT / 'results' / 'rf-grid' / 'meta-test'

@pytest.fixture
def copy(tmp_path):
    if not (FOLDER / 'runs' / 'random-seed0.parquet').exists(): pytest.skip('no committed rf-grid meta-test runs')
    d = tmp_path / 'rf-grid' / 'meta-test'; (d / 'runs').mkdir(parents=True)
    shutil.copy(FOLDER / 'suite.json', d); shutil.copy(FOLDER / 'runs' / 'random-seed0.parquet', d / 'runs')
    return tmp_path, json.loads((d / 'suite.json').read_text())['split']['meta-test'][0]

def test_check_only_reruns_a_task_whose_suite_has_twins(copy, capsys):
    "rf-grid's meta-test tasks include `contraceptive` (its twin `cmc` is a meta-train task); a check of another task need not name it."
    from rerun_tasks import main
    out, task = copy
    before = (out / 'rf-grid' / 'meta-test' / 'runs' / 'random-seed0.parquet').read_bytes()
    assert task != 'contraceptive'
    assert main(['--suite', 'rf-grid', '--protocol', 'meta-test', '--out', str(out), '--tasks', task, '--controls', '1',
                 '--tuners', 'random', '--check-only']) == 0
    said = capsys.readouterr().out
    assert 'controls: 1 of 1 run files made again bit for bit' in said and 'nothing written' in said
    assert (out / 'rf-grid' / 'meta-test' / 'runs' / 'random-seed0.parquet').read_bytes() == before
    with pytest.raises(SystemExit, match=r"\['contraceptive'\] have twins"):  # writing still asks for the twins
        main(['--suite', 'rf-grid', '--protocol', 'meta-test', '--out', str(out), '--tasks', task, '--controls', '1', '--tuners', 'random'])
    assert (out / 'rf-grid' / 'meta-test' / 'runs' / 'random-seed0.parquet').read_bytes() == before

def test_kernel_note_names_settings_that_differ():
    "A check run without the controls scripts' kernel settings says so (cmaes-ws's controls differed without OPENBLAS_CORETYPE=Haswell), naming each setting."
    import rerun_tasks as R
    assert R.kernel_note({}, {'OMP_NUM_THREADS': '1', 'OPENBLAS_CORETYPE': 'Haswell'}) is None
    note = R.kernel_note({}, {'OMP_NUM_THREADS': '1'})
    assert "differ from what the controls scripts set (OPENBLAS_CORETYPE 'Haswell' there, None here)" in note, note
    note = R.kernel_note({'last_run_cpu': {'model': 'x', 'OPENBLAS_CORETYPE': None, 'OMP_NUM_THREADS': '1'}}, {'OMP_NUM_THREADS': '2'})
    assert "differ from the folder's last run (OMP_NUM_THREADS '1' there, '2' here)" in note and 'OPENBLAS_CORETYPE None' not in note, note

def test_check_says_where_a_control_differs(copy, capsys):
    "A control whose rows differ is named with the first k that differs, beside the k from which its committed run held its best value."
    from rerun_tasks import main
    out, task = copy
    f = out / 'rf-grid' / 'meta-test' / 'runs' / 'random-seed0.parquet'
    runs = pd.read_parquet(f)
    runs.loc[(runs.task != task) & (runs.k >= 5), 'cpu_s'] += 1.0  # every other task's cost from the 5th evaluation on
    runs.to_parquet(f)
    assert main(['--suite', 'rf-grid', '--protocol', 'meta-test', '--out', str(out), '--tasks', task, '--controls', '1',
                 '--tuners', 'random', '--check-only']) == 1
    said = capsys.readouterr().out
    control = said.split('and controls [', 1)[1].split(']', 1)[0].strip("'")
    mine = runs[runs.task == control]
    best_from = int(mine.k[mine.regret <= mine.regret.min()].min())
    assert f"columns that differ: ['cpu_s']; rows that differ: {control} from k 5 (its best value held from k {best_from})" in said, said
    assert 'controls: 0 of 1 run files made again bit for bit' in said, said

def test_compare_runs_says_how_each_file_was_made(copy, tmp_path, capsys, monkeypatch):
    "A committed run file (written before files recorded how they were made) and the same rows written here compare identical, and compare_runs says the copy records its making and the original does not; two copies made on different CPUs say which setting differs."
    import compare_runs, metahpo.suites as S
    out, _ = copy
    a = out / 'rf-grid' / 'meta-test'
    b = tmp_path / 'again'; (b / 'runs').mkdir(parents=True); shutil.copy(a / 'suite.json', b)
    rows = pd.read_parquet(a / 'runs' / 'random-seed0.parquet')
    assert S.made_with(a / 'runs' / 'random-seed0.parquet') is None
    S._write(rows, b / 'runs' / 'random-seed0.parquet')
    assert S.made_with(b / 'runs' / 'random-seed0.parquet') == [S._made_with_now()]
    assert compare_runs.main(str(a), str(b)) == 0
    said = capsys.readouterr().out
    assert 'random-seed0.parquet: identical' in said and '  made with: recorded in the second file only' in said, said
    here = S._made_with_now()
    there = {**here, 'cpu': {**here['cpu'], 'vector': 'avx2' if here['cpu']['vector'] != 'avx2' else 'avx512f'}}
    monkeypatch.setattr(S, '_made_with_now', lambda: there)
    S._write(rows, a / 'runs' / 'random-seed0.parquet')  # the first folder's file made "elsewhere"
    monkeypatch.undo()
    assert compare_runs.made_apart(a / 'runs' / 'random-seed0.parquet', b / 'runs' / 'random-seed0.parquet') == [
        f"made with cpu vector: {there['cpu']['vector']!r} vs {here['cpu']['vector']!r}"]
    S._write(rows, b / 'runs' / 'random-seed0.parquet', [S.made_with(a / 'runs' / 'random-seed0.parquet')])  # rows of both
    both = ' / '.join(sorted(repr(v) for v in (there['cpu']['vector'], here['cpu']['vector'])))
    assert compare_runs.made_apart(a / 'runs' / 'random-seed0.parquet', b / 'runs' / 'random-seed0.parquet') == [
        "made with: 1 setting(s) vs 2 (rows of a resumed or spliced file made apart)", f"made with cpu vector: {there['cpu']['vector']!r} vs {both}"]
    S._write(rows, a / 'runs' / 'random-seed0.parquet', [[here], [there]], now=False)  # the same two settings, the other way round
    assert compare_runs.made_apart(a / 'runs' / 'random-seed0.parquet', b / 'runs' / 'random-seed0.parquet') == []
    S._write(rows, a / 'runs' / 'random-seed0.parquet', [None])  # a committed file spliced here (rerun_tasks.py): old rows, and this run's
    assert S.made_with(a / 'runs' / 'random-seed0.parquet') == [None, here]
    S._write(rows, b / 'runs' / 'random-seed0.parquet')
    assert compare_runs.made_apart(a / 'runs' / 'random-seed0.parquet', b / 'runs' / 'random-seed0.parquet') == [
        "made with: 2 setting(s) vs 1 (rows of a resumed or spliced file made apart)",
        "made with: some rows of the first file were written before files recorded it"]  # one line each, not every setting
