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

def test_design_regenerate_compares_and_puts_back(tmp_path, monkeypatch):
    "`design_regenerate.py`: a file that comes out otherwise is kept beside the committed one, which is put back as it was; the table says what differs."
    import design_regenerate as R
    same = b'view,k,regret\na,1,0.5\n'
    assert R.compare(same, same) == {'identical': True}
    c = R.compare(same + b'b,1,0.25\n', same + b'b,1,0.20\n')
    assert (c['identical'], c['rows_differing'], c['columns_differing'], round(c['largest_difference'], 6)) == (False, 1, 'regret', 0.05)
    assert R.compare(same, same + b'b,1,0.2\n')['note'] == 'other rows or columns'
    assert R.compare(same, None) == {'identical': False, 'note': 'not written'}
    design = tmp_path / 'design'; design.mkdir()
    (design / 'x.csv').write_bytes(same); (design / 'y.csv').write_bytes(same)
    script = tmp_path / 'scripts'; script.mkdir()
    (script / 'fake_design.py').write_text("from pathlib import Path; import sys\n"
                                           f"Path({str(design / 'x.csv')!r}).write_text('view,k,regret\\na,1,0.75\\n')\n"
                                           f"Path({str(design / 'y.csv')!r}).write_bytes(Path({str(design / 'y.csv')!r}).read_bytes())\n")
    monkeypatch.setattr(R, 'ROOT', tmp_path); monkeypatch.setattr(R, 'DESIGN', design); monkeypatch.setattr(R, 'OUT', design / 'regenerated')
    monkeypatch.setattr(R, 'COMMANDS', [('fake_design.py', ['x.csv', 'y.csv'])])
    R.main([])
    assert (design / 'x.csv').read_bytes() == same  # the committed file, put back
    assert (design / 'regenerated' / 'x.csv').read_text() == 'view,k,regret\na,1,0.75\n' and not (design / 'regenerated' / 'y.csv').exists()
    t = R.pd.read_csv(design / 'regenerate.csv')
    assert t.identical.tolist() == [False, True] and t.columns_differing[0] == 'regret'
    R.main(['--only', 'fake_design.py'])  # one script again: its rows replaced, not added
    assert R.pd.read_csv(design / 'regenerate.csv').file.tolist() == ['results/design/x.csv', 'results/design/y.csv']
    with pytest.raises(SystemExit): R.main(['--only', 'nothing.py'])

SCRIPTS = Path(__file__).resolve().parents[1] / 'scripts'

def test_design_scripts_say_their_usage_and_name_a_misspelt_variant(monkeypatch):
    "With no argument a design script prints the commands its docstring names (not an IndexError); a misspelt variant is named with the allowed ones before any setup (not a KeyError), a misspelt view with the allowed views (not a traceback)."
    import subprocess, _args
    readers = [p.name for p in sorted(SCRIPTS.glob('*.py')) if 'sys.argv[1]' in p.read_text() or "args[0]" in p.read_text()]
    assert len(readers) >= 17 and [n for n in readers if '_args.' not in (SCRIPTS / n).read_text() and n != 'image_cost_remeasure.py'] == []
    r = subprocess.run([sys.executable, str(SCRIPTS / 'cover_design.py')], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and 'give what to run; usage:' in r.stderr and 'python scripts/cover_design.py --summary' in r.stderr, r.stderr
    r = subprocess.run([sys.executable, str(SCRIPTS / 'zs_warm_design.py'), 'rf-wide', 'base,nosurr'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.stderr.strip() == "variant(s) 'nosurr' not known here: give comma-separated names of base, nosur, zs-warm, zs-warm-nosur", r.stderr
    r = subprocess.run([sys.executable, str(SCRIPTS / 'cover_design.py'), 'rf-wde', 'base'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.stderr.strip().startswith("view 'rf-wde' is not known here: give one of rf-grid, rf-wide") and 'Traceback' not in r.stderr, r.stderr
    assert 'lcbench-train, ' in r.stderr and r.stderr.count('outside') == 1  # the '-train' views too, and 'outside' once
    monkeypatch.setattr(sys, 'argv', ['x.py', 'rf-wide'])
    assert _args.variants({'a': 1, 'b': 2}) == ['a', 'b'] and _args.variants({'a': 1, 'b': 2}, ['b']) == ['b']  # none given: the default, else every one
    monkeypatch.setattr(sys, 'argv', ['x.py', 'rf-wide', ','])
    with pytest.raises(SystemExit, match="variant\\(s\\) ',' not known here"): _args.variants(('a',))

def test_every_script_answers_help_before_it_runs():
    "`python scripts/X.py --help` prints what the script does and exits 0 at once: nothing read, computed or written first (readme_figure.py redrew its figure, hindsight_design.py rewrote its tables)."
    import ast, os, re, subprocess
    env = {**os.environ, 'PYTHONPATH': str(SCRIPTS.parent)}
    checked = []
    for p in sorted(SCRIPTS.glob('*.py')):
        if p.name.startswith('_'): continue  # modules the scripts import
        s = p.read_text()
        doc = ast.get_docstring(ast.parse(s))
        assert doc, f"{p.name}: no docstring to answer --help with"
        if 'argparse' not in s and not re.fullmatch(r'gpu_\w+_grid\.py', p.name):  # argparse answers --help itself (the GPU grids' wrappers hand on to gpu_grid.py's)
            body = [n for n in ast.parse(s).body[1:] if not (isinstance(n, ast.ImportFrom) and n.module == '__future__')]
            assert ast.unparse(body[0]) == 'import _args' and ast.unparse(body[1]) == '_args.on_help(__doc__, __name__)', f"{p.name}: --help is not answered first"
        r = subprocess.run([sys.executable, str(p), '--help'], capture_output=True, text=True, timeout=120, env=env, cwd=SCRIPTS.parent)
        assert r.returncode == 0 and (r.stdout.startswith(doc.splitlines()[0]) or r.stdout.startswith('usage:')), (p.name, r.returncode, r.stdout[:200], r.stderr[-300:])
        checked.append(p.name)
    assert len(checked) >= 45, checked
