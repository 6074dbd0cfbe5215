"""The bad-input suite: every mistake a user can make on the command line or through the Python API ends in one line
that names the bad value and what is allowed, a non-zero exit status (2), no traceback, and nothing left behind.
The figures (kinds, tracebacks, silent wrong results, errors with exit status 0) are printed at the end of the run."""
import contextlib, io, math, os, signal, sqlite3, subprocess, time
from pathlib import Path
import pandas as pd, pytest
from conftest import ROOT, record_figure
from metahpo.core import MetahpoError, Trial, to_json, from_json
from metahpo.repository import Repository, TaskRecord, APPLICATION_ID, _EXPORT_KEY
from metahpo.space import get_space, Float
from metahpo.cli import main

DATA = Path(os.environ.get('METAHPO_DATA_DIR', ROOT.parent / 'shared' / 'data')).resolve()

@pytest.fixture(scope='module')
def m(tmp_path_factory):
    "Materials for the cases: good and bad repositories, exports and data folders (paths by name)."
    d = tmp_path_factory.mktemp('materials')
    sp = get_space('random_forest')
    with Repository(d / 'r.db') as r:
        s = r.study('titanic-rf', TaskRecord('titanic', 'random_forest', 'tabular', 'abc'), sp, 'grid', 'accuracy')
        for i, c in enumerate(list(sp.grid())[:6]): r.record(s, Trial(0, c, value=0.7 + i / 100, metrics={'accuracy': 0.7 + i / 100}, seed=0))
        r.export_parquet(d / 'e.parquet')
    (d / 'notes.txt').write_text('not a database'); (d / 'adir').mkdir()
    con = sqlite3.connect(d / 'other.db'); con.execute("CREATE TABLE t (x)"); con.close()
    con = sqlite3.connect(d / 'newer.db'); con.execute(f"PRAGMA application_id = {APPLICATION_ID}"); con.execute("PRAGMA user_version = 99")
    con.execute("CREATE TABLE t (x)"); con.close()
    con = sqlite3.connect(d / 'spoofed.db'); con.execute(f"PRAGMA application_id = {APPLICATION_ID}"); con.execute("PRAGMA user_version = 2")
    con.execute("CREATE TABLE tasks (x)"); con.close()
    b = bytearray((d / 'r.db').read_bytes())
    for off in range(4096 + 100, min(len(b), 4096 * 3), 7): b[off] = (b[off] * 31 + 7) % 256
    (d / 'garbled.db').write_bytes(bytes(b))
    pd.DataFrame({'a': [1]}).to_parquet(d / 'plain.parquet')
    import pyarrow as pa, pyarrow.parquet as pq
    def crafted(name, rows=None, meta=None, drop=None):
        t = pq.read_table(d / 'e.parquet'); df = t.to_pandas(); md = from_json(t.schema.metadata[_EXPORT_KEY].decode())
        for i, change in (rows or {}).items():
            for k, v in change.items(): df[k] = df[k].astype(object); df.loc[i, k] = v
        if 'value' in df: df['value'] = pd.to_numeric(df['value'], errors='coerce')
        if drop: df = df.drop(columns=drop)
        raw = md if isinstance(md := (meta(md) if meta else md), bytes) else to_json(md).encode()
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata({_EXPORT_KEY: raw}), d / name)
    crafted('huge.parquet', {2: {'value': 1e308, 'metrics': '{"accuracy": 1e308}'}})
    crafted('strmetric.parquet', {2: {'metrics': '{"accuracy": "high"}'}})
    crafted('outside.parquet', {2: {'config': '{"n_estimators": 7, "max_depth": 10, "min_samples_split": 2}'}})
    crafted('nocolumn.parquet', drop=['status'])
    crafted('undeclared.parquet', {2: {'study': 'ghost'}})
    crafted('badstatus.parquet', {2: {'status': 'done'}})
    crafted('brokenmeta.parquet', meta=lambda md: b'{broken')
    crafted('extrakey.parquet', meta=lambda md: {**md, 'tasks': [{**md['tasks'][0], 'colour': 'red'}]})
    crafted('listmeta.parquet', meta=lambda md: [md])
    crafted('nulluid.parquet', {2: {'uid': None}})
    crafted('nanvalue.parquet', {2: {'value': float('nan')}})
    crafted('infmetric.parquet', {2: {'metrics': '{"accuracy": 0.7, "roc_auc": Infinity}'}})
    crafted('badconfigjson.parquet', {2: {'config': '{n_estimators'}})
    for name, text in (('empty_titanic', ''), ('nan_titanic', 'PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked\n' + ',' * 11 + '\n')):
        (d / name / 'titanic').mkdir(parents=True); (d / name / 'titanic' / 'train.csv').write_text(text)
    (d / 'nopmlb').mkdir()
    (d / 'table.csv').write_text('x,y\n' + ''.join(f'{(i * 37) % 101 / 10},{i % 2}\n' for i in range(40)))  # a table a forest can tune
    return d

def _tree(*roots):
    return {str(p): (p.stat().st_size if p.is_file() else -1) for r in roots for p in Path(r).rglob('*')}

# (id, arguments, text the one-line error must contain: the bad value or name, and what is allowed)
CLI = [
    ('seed-negative', ['tune', '--seed', '-1'], "seed '-1' is not allowed: give a whole number from 0 to 4294967295"),
    ('seed-beyond-64-bits', ['tune', '--seed', str(2**70)], f"seed '{2**70}' is not allowed"),
    ('seed-2^32', ['tune', '--seed', '4294967296'], "seed '4294967296' is not allowed"),
    ('seed-text', ['tune', '--seed', 'x'], "seed 'x' is not allowed"),
    ('seed-fraction', ['tune', '--seed', '1.5'], "seed '1.5' is not allowed"),
    ('trial-timeout-inf', ['tune', '--trial-timeout', 'inf'], "'inf' is not allowed: give a positive, finite number of seconds"),
    ('trial-timeout-nan', ['tune', '--trial-timeout', 'nan'], "'nan' is not allowed"),
    ('trial-timeout-negative', ['tune', '--trial-timeout', '-5'], "'-5' is not allowed"),
    ('trial-timeout-zero', ['tune', '--trial-timeout', '0'], "'0' is not allowed"),
    ('tune-test-fraction-one', ['tune', '--test-fraction', '1'], "argument --test-fraction: '1' is not allowed: give a fraction in (0, 1), e.g. 0.2"),
    ('tune-test-fraction-text', ['tune', '--test-fraction', 'a fifth'], "'a fifth' is not allowed: give a fraction in (0, 1)"),
    ('tune-test-fraction-neural', ['tune', '--task', 'imdb', '--test-fraction', '0.2'],
     "--test-fraction 0.2 is for a random forest (task titanic); bert on task 'imdb' is scored on its own test split: leave --test-fraction out"),
    ('tune-split-seed-alone', ['tune', '--split-seed', '1'], "--split-seed 1 seeds a held-out share: give --test-fraction too"),
    ('tune-split-seed-data-alone', ['tune', '--data', '{d}/table.csv', '--target', 'y', '--split-seed', '2'], "--split-seed 2 seeds a held-out share: give --test-fraction too"),
    ('tune-split-seed-negative', ['tune', '--test-fraction', '0.2', '--split-seed', '-1'], "argument --split-seed: seed '-1' is not allowed: give a whole number from 0"),
    ('import-nothing', ['import'], "give a Parquet file to import, or --optuna"),
    ('import-optuna-no-task', ['import', '--optuna', 'sqlite:///optuna.db', '--study', 's'], "--optuna needs --task"),
    ('import-optuna-no-storage', ['import', '--optuna', 'sqlite:///missing.db', '--study', 's', '--task', 't'], "no Optuna storage at 'sqlite:///missing.db'"),
    ('import-optuna-data-alone', ['import', '--optuna', 'sqlite:///optuna.db', '--study', 's', '--task', 't', '--data', 'x.csv'],
     "give --data and --target together"),
    ('import-optuna-drop-alone', ['import', '--optuna', 'sqlite:///optuna.db', '--study', 's', '--task', 't', '--drop', 'Name'],
     "--drop 'Name' is for --data"),
    ('import-parquet-optuna-options', ['import', 'x.parquet', '--study', 's', '--model', 'rf'], "--study, --model are for --optuna"),
    ('data-without-target', ['tune', '--data', 'table.csv'], "give --data and --target together"),
    ('data-missing-file', ['tune', '--data', 'nope.csv', '--target', 'y'], "--data 'nope.csv' is not a file"),
    ('data-with-task', ['tune', '--data', 'nope.csv', '--target', 'y', '--task', 'titanic'], "give --task 'titanic' or --data 'nope.csv', not both"),
    ('studies-missing-repo', ['studies', '--repo', 'missing.db'], "no repository at 'missing.db'"),
    ('import-optuna-plain-sqlite', ['import', '--optuna', 'sqlite:///{d}/other.db', '--study', 's', '--task', 't'], "is not an Optuna storage"),
    ('import-optuna-metahpo-repo', ['import', '--optuna', 'sqlite:///{d}/r.db', '--study', 's', '--task', 't'], "is not an Optuna storage"),
    ('data-no-such-column', ['tune', '--data', '{d}/notes.txt', '--target', 'y'], "--target 'y' is not a column"),
    ('concurrency-zero', ['tune', '--concurrency', '0'], "'0' is not allowed"),
    ('concurrency-word', ['tune', '--concurrency', 'four'], "'four' is not allowed"),
    ('backend-unknown', ['tune', '--backend', 'dask'], "invalid choice: 'dask'"),
    ('trial-threads-zero', ['tune', '--trial-threads', '0'], "argument --trial-threads: '0' is not allowed"),
    ('trial-threads-on-ray', ['tune', '--trial-threads', '2', '--backend', 'ray'], "--trial-threads 2 is for --backend local"),
    ('address-without-ray', ['tune', '--address', '127.0.0.1:6379'], "--address '127.0.0.1:6379' is for --backend ray"),
    ('benchmark-no-tasks', ['benchmark', '--suite', 'rf-grid', '--tasks', ',', '--out', '{d}/b'], "--tasks ',' names none"),
    ('benchmark-no-tuners', ['benchmark', '--suite', 'rf-grid', '--tuners', ',', '--out', '{d}/b'], "--tuners ',' names none"),
    ('benchmark-out-file', ['benchmark', '--suite', 'lcbench', '--out', '{d}/notes.txt'], "--out '{d}/notes.txt': '{d}/notes.txt' is a file, not a folder"),
    ('ray-unreachable', ['tune', '--backend', 'ray', '--address', '127.0.0.1:1'], "cannot reach a Ray cluster at '127.0.0.1:1'"),  # Ray alone retries for minutes
    ('ray-address-form', ['tune', '--backend', 'ray', '--address', 'my-cluster'], "Ray address 'my-cluster' is not allowed: give 'HOST:PORT'"),
    ('budget-zero', ['tune', '--budget', '0'], "malformed budget '0'"),
    ('budget-text', ['tune', '--budget', 'ten'], "malformed budget 'ten'"),
    ('budget-zero-minutes', ['tune', '--budget', '5,0m'], "malformed budget '5,0m'"),
    ('budget-negative', ['tune', '--budget', '-3'], "malformed budget '-3'"),
    ('task-unknown', ['tune', '--task', 'mnist'], "unknown task 'mnist'; choose one of: titanic"),
    ('tuner-unknown', ['tune', '--tuner', 'tpe', '--repo', '{d}/new.db'], "unknown tuner 'tpe'; choose one of: grid"),
    ('model-unknown', ['tune', '--model', 'xgboost'], "'xgboost'"),
    ('space-unknown', ['tune', '--space', 'huge'], "unknown space 'huge'; choose one of: grid, wide"),
    ('profile-unknown', ['tune', '--profile', 'gpu'], "unknown profile 'gpu'; choose one of: cpu, meta, full"),
    ('repo-is-folder', ['tune', '--repo', '{d}/adir'], "is a directory"),
    ('repo-not-sqlite', ['tune', '--repo', '{d}/notes.txt'], "is not an SQLite database"),
    ('repo-folder-missing', ['tune', '--repo', '{d}/nowhere/r.db'], "does not exist"),
    ('repo-other-application', ['tune', '--repo', '{d}/other.db'], "of another application"),
    ('repo-newer-schema', ['tune', '--repo', '{d}/newer.db'], "schema version 99, newer than this metahpo"),
    ('repo-spoofed-id', ['tune', '--repo', '{d}/spoofed.db'], "carries metahpo's application id but its table 'tasks' lacks"),
    ('repo-garbled-pages', ['tune', '--repo', '{d}/garbled.db'], "is damaged"),
    ('data-dir-missing', ['tune', '--data-dir', '{d}/no_such_dir'], "no_such_dir' does not exist or is not a directory"),
    ('titanic-empty-csv', ['tune', '--data-dir', '{d}/empty_titanic'], "cannot read"),
    ('titanic-all-nan', ['tune', '--data-dir', '{d}/nan_titanic'], "give at least 10 rows whose Survived is 0 or 1"),
    ('export-folder-missing', ['export', '{d}/nowhere/x.parquet', '--repo', '{d}/r.db'], "nowhere' of export file"),
    ('export-to-folder', ['export', '{d}/adir', '--repo', '{d}/r.db'], "adir' is a folder"),
    ('export-repo-typo', ['export', '{d}/x.parquet', '--repo', '{d}/typo.db'], "no repository at"),
    ('experience-repo-typo', ['experience', '--repo', '{d}/typo.db', '--out', '{d}/x.parquet'], "no repository at"),
    ('experience-out-folder-missing', ['experience', '--repo', '{d}/r.db', '--out', '{d}/nowhere/x.parquet'], "nowhere' of experience file"),
    ('experience-out-is-folder', ['experience', '--repo', '{d}/r.db', '--out', '{d}/adir'], "adir' is a folder"),
    ('experience-no-matching-study', ['experience', '--repo', '{d}/r.db', '--out', '{d}/x.parquet', '--studies', 'nomatch-*'], "no study in"),
    ('experience-no-destination', ['experience', '--repo', '{d}/r.db'], "one of the arguments --out --ship is required"),
    ('experience-out-is-repo', ['experience', '--repo', '{d}/r.db', '--out', '{d}/r.db'], "is the repository it would be written from"),
    ('export-onto-a-text-file', ['export', '{d}/notes.txt', '--repo', '{d}/r.db'], "notes.txt' exists and is not a metahpo export"),
    ('export-csv-name', ['export', '{d}/x.csv', '--repo', '{d}/r.db'], "x.csv' would be a Parquet file: give a name ending in .parquet"),
    ('experience-csv-name', ['experience', '--repo', '{d}/r.db', '--out', '{d}/e.csv'], "e.csv' would be a Parquet file: give a name ending in .parquet"),
    ('import-missing-file', ['import', '{d}/nosuch.parquet', '--repo', '{d}/new.db'], "no file at"),
    ('import-not-parquet', ['import', '{d}/notes.txt', '--repo', '{d}/new.db'], "cannot read"),
    ('import-foreign-parquet', ['import', '{d}/plain.parquet', '--repo', '{d}/new.db'], "not a metahpo export"),
    ('import-huge-metric', ['import', '{d}/huge.parquet', '--repo', '{d}/new.db'], "1e+308"),
    ('import-string-metric', ['import', '{d}/strmetric.parquet', '--repo', '{d}/new.db'], "metric accuracy='high' is not a number"),
    ('import-config-outside-space', ['import', '{d}/outside.parquet', '--repo', '{d}/new.db'], "n_estimators=7 is not allowed"),
    ('import-missing-column', ['import', '{d}/nocolumn.parquet', '--repo', '{d}/new.db'], "lacks the column(s) ['status']"),
    ('import-undeclared-study', ['import', '{d}/undeclared.parquet', '--repo', '{d}/new.db'], "study 'ghost' is not declared"),
    ('import-bad-status', ['import', '{d}/badstatus.parquet', '--repo', '{d}/new.db'], "status 'done'; allowed: complete, failed"),
    ('import-broken-metadata', ['import', '{d}/brokenmeta.parquet', '--repo', '{d}/new.db'], "metadata is not valid JSON"),
    ('import-extra-key', ['import', '{d}/extrakey.parquet', '--repo', '{d}/new.db'], "unknown key(s) ['colour']"),
    ('import-list-metadata', ['import', '{d}/listmeta.parquet', '--repo', '{d}/new.db'], "must be a mapping"),
    ('import-null-uid', ['import', '{d}/nulluid.parquet', '--repo', '{d}/new.db'], "uid None"),
    ('import-nan-value', ['import', '{d}/nanvalue.parquet', '--repo', '{d}/new.db'], "row 2: a complete trial has no value (an empty cell or NaN)"),
    ('import-inf-metric', ['import', '{d}/infmetric.parquet', '--repo', '{d}/new.db'], "metric roc_auc=inf"),
    ('import-bad-config-json', ['import', '{d}/badconfigjson.parquet', '--repo', '{d}/new.db'], "is not JSON"),
    ('benchmark-members-zero', ['benchmark', '--members', '0'], "'0' is not allowed: give a whole number, 1 or more"),
    ('benchmark-budget-zero', ['benchmark', '--budget', '0'], "'0' is not allowed"),
    ('benchmark-seeds-zero', ['benchmark', '--seeds', '0'], "'0' is not allowed"),
    ('benchmark-n-warm-negative', ['benchmark', '--n-warm', '-1'], "'-1' is not allowed: give a whole number, 0 or more"),
    ('benchmark-meta-steps-zero', ['benchmark', '--meta-steps', '0'], "'0' is not allowed"),
    ('benchmark-candidates-zero', ['benchmark', '--n-candidates', '0'], "'0' is not allowed"),
    ('benchmark-suite-unknown', ['benchmark', '--suite', 'hpob'], "unknown suite 'hpob'; choose one of"),
    ('benchmark-tuner-unknown', ['benchmark', '--tuners', 'nosuch', '--out', '{d}/res'], "unknown tuner 'nosuch'; choose one of"),
    ('benchmark-task-unknown', ['benchmark', '--tasks', 'nosuch', '--out', '{d}/res'], "unknown task(s) ['nosuch'] in suite 'rf-grid'"),
    ('benchmark-task-not-meta-test', ['benchmark', '--tasks', 'titanic', '--out', '{d}/res'], "task(s) ['titanic'] of suite 'rf-grid' are not tuned under protocol 'meta-test'"),
    ('benchmark-protocol-unknown', ['benchmark', '--protocol', 'test'], "argument --protocol: invalid choice: 'test'"),
    ('metadataset-n-configs-negative', ['metadataset', '--n-configs', '-1'], "'-1' is not allowed: give a whole number, 1 or more"),
    ('metadataset-max-rows-zero', ['metadataset', '--max-rows', '0'], "'0' is not allowed: give a whole number, 20 or more"),
    ('metadataset-workers-zero', ['metadataset', '--workers', '0'], "'0' is not allowed"),
    ('metadataset-seed-negative', ['metadataset', '--seed', '-2'], "seed '-2' is not allowed"),
    ('metadataset-space-unknown', ['metadataset', '--space', 'huge', '--repo', '{d}/new.db'], "unknown meta-dataset space 'huge'"),
    ('metadataset-task-unknown', ['metadataset', '--tasks', 'nosuch', '--repo', '{d}/new.db', '--data-dir', '{data}'], "unknown meta-dataset task(s) ['nosuch']"),
    ('metadataset-no-task', ['metadataset', '--tasks', ',', '--repo', '{d}/new.db'], "--tasks ',' names no task"),
    ('metadataset-no-pmlb', ['metadataset', '--tasks', 'parity5', '--repo', '{d}/new.db', '--data-dir', '{d}/nopmlb'], "no pmlb/INDEX.csv"),
    ('metadataset-lstm-no-electricity', ['metadataset', '--family', 'lstm', '--tasks', 'uci-MT_002', '--repo', '{d}/new.db', '--data-dir', '{d}/nopmlb'],
     "has no electricity/ folder, which task(s) uci-MT_002 read"),  # was exit status 1, its failure in the summary, and new.db left
    ('docs-not-a-checkout', ['docs', '--repo', '{d}/adir', '--out', '{d}/adir/site'], "no notebooks at"),
    ('import-strict-and-skip', ['import', '{d}/e.parquet', '--strict', '--skip-invalid', '--repo', '{d}/new.db'], "not allowed with argument --strict"),
    ('command-unknown', ['tunes'], "invalid choice: 'tunes'"),
    ('task-empty', ['tune', '--task', ''], "argument --task: '' is not allowed: give a value, or leave --task out"),  # `--task "$TASK"`, unset: not titanic
    ('model-blank', ['tune', '--model', ' '], "argument --model: ' ' is not allowed"),
    ('study-empty', ['tune', '--study', ''], "argument --study: '' is not allowed"),
    ('data-dir-empty', ['tune', '--data-dir', ''], "argument --data-dir: '' is not allowed"),
    ('experience-empty', ['tune', '--tuner', 'meta', '--experience', ''], "argument --experience: '' is not allowed"),
    ('data-dir-with-data', ['tune', '--data', '{d}/notes.txt', '--target', 'y', '--data-dir', '{d}/adir'], "--data-dir '{d}/adir' is for --task"),
    ('data-space-unknown', ['tune', '--data', '{d}/table.csv', '--target', 'y', '--space', 'huge'], "unknown space 'huge'; choose one of: grid, wide"),
    ('data-profile-unknown', ['tune', '--data', '{d}/table.csv', '--target', 'y', '--profile', 'gpu'], "unknown profile 'gpu'; choose one of: cpu, meta, full"),
    ('data-drop-target', ['tune', '--data', '{d}/table.csv', '--target', 'y', '--drop', 'y'], "--drop y: 'y' is the --target, the column to predict"),
    ('docs-screenshots-without-check', ['docs', '--repo', '{d}/adir', '--screenshots', '{d}/shots'], "--screenshots '{d}/shots' is for --check"),
    ('option-unknown', ['tune', '--budgte', '3'], "unrecognized arguments: --budgte"),
    ('option-of-another-command', ['tune', '--workers', '2'], "unrecognized arguments: --workers 2; --workers: trials at once are --concurrency in metahpo tune"),
    ('option-of-another-command-2', ['metadataset', '--concurrency', '2'], "--concurrency: tasks built at once are --workers in metahpo metadataset"),
    ('claims-release-without-host', ['claims', '--repo', '{d}/r.db', '--release'], "--release needs --host: name the machine"),
    ('studies-match-empty', ['studies', '--repo', '{d}/r.db', '--match', ''], "argument --match: '' is not allowed: give a value, or leave --match out"),  # not every study
    ('repo-empty', ['studies', '--repo', ''], "argument --repo: '' is not allowed"),
    ('benchmark-n-warm-without-meta', ['benchmark', '--tuners', 'random', '--n-warm', '5', '--out', '{d}/res'],
     "--n-warm 5 is for the MetaTuner runs that warm-start (meta, meta-past"),  # not ignored: as tune refuses --experience without --tuner meta
    ('benchmark-meta-steps-without-meta', ['benchmark', '--tuners', 'random', '--meta-steps', '50', '--no-surrogate-report', '--out', '{d}/res'],
     "--meta-steps 50 is for the MetaTuner runs that have a surrogate"),
    ('benchmark-n-candidates-not-yahpo', ['benchmark', '--suite', 'rf-grid', '--n-candidates', '50', '--out', '{d}/res'], "--n-candidates is for the YAHPO suites"),
    ('random-share-without-meta', ['tune', '--tuner', 'random', '--random-share', '0.2'], "--random-share 0.2 is for --tuner meta"),
    ('random-share-range', ['tune', '--random-share', '2'], "argument --random-share: '2' is not allowed: give a probability from 0 to 1"),
    ('benchmark-own-malformed', ['benchmark', '--own', 'mine', '--out', '{d}/res'], "argument --own: 'mine' is not allowed: give NAME=MODULE:OBJECT"),
    ('benchmark-own-no-module', ['benchmark', '--own', 'mine=no_such_module_x:T', '--out', '{d}/res'], "--own mine=no_such_module_x:T: no module 'no_such_module_x' is importable"),
    ('benchmark-own-no-file', ['benchmark', '--own', 'mine={d}/none.py:T', '--out', '{d}/res'], "--own mine={d}/none.py:T: there is no file '{d}/none.py'"),
    ('benchmark-own-no-object', ['benchmark', '--own', 'mine=metahpo.tuners:NoSuch', '--out', '{d}/res'], "'metahpo.tuners' has no 'NoSuch'; it defines"),
    ('benchmark-own-not-callable', ['benchmark', '--own', 'mine=metahpo.tuners:TUNERS', '--out', '{d}/res'], "'TUNERS' is of type dict, not a Tuner class"),
    ('benchmark-own-twice', ['benchmark', '--own', 'a=metahpo.tuners:RandomSearch', '--own', 'a=metahpo.tuners:GridSearch', '--out', '{d}/res'], "--own names 'a' twice"),
    ('benchmark-own-suite-name', ['benchmark', '--own', 'random=metahpo.tuners:RandomSearch', '--tuners', 'grid', '--tasks', 'adult', '--seeds', '1',
                                  '--no-surrogate-report', '--out', '{d}/res'], "own tuner name(s) ['random'] are the suite's own tuners' names"),
]

@pytest.mark.parametrize('case', CLI, ids=[c[0] for c in CLI])
def test_cli_bad_input(case, m, tmp_path, monkeypatch):
    name, args, expect = case
    if '{data}' in ' '.join(args) and not (DATA / 'pmlb').is_dir(): pytest.skip(f"needs the shared data at {DATA}")
    args, expect = [a.format(d=m, data=DATA) for a in args], expect.format(d=m)
    monkeypatch.chdir(tmp_path); monkeypatch.delenv('METAHPO_REPOSITORY', raising=False)
    before = _tree(m, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    crashed = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try: code = main(args + (['--no-progress'] if args[0] in ('tune', 'metadataset', 'benchmark') else []))
        except BaseException as e: code, crashed = None, e
    lines = [l for l in err.getvalue().splitlines() if l.strip()]
    left = sorted(set(_tree(m, tmp_path)) - set(before))
    rec = dict(via='cli', case=name, traceback=crashed is not None or 'Traceback' in err.getvalue() + out.getvalue(),
               silent=code == 0 and not lines, exit0=code == 0 and bool(lines), left_behind=bool(left), names_value=any(expect in l for l in lines))
    record_figure('bad_inputs', **rec)
    assert crashed is None, f"{name}: main raised {type(crashed).__name__}: {crashed}"
    assert code == 2, f"{name}: exit status {code}; stderr: {err.getvalue()!r}; stdout: {out.getvalue()[-500:]!r}"
    assert len(lines) == 1 and 'error' in lines[0] and lines[0].startswith('metahpo'), f"{name}: not one error line: {lines}"
    assert expect in lines[0], f"{name}: {lines[0]!r} does not say {expect!r}"
    assert not left, f"{name}: left behind {left}"

def _tuning(**kw):
    from metahpo.tuners import tune
    sp = get_space('random_forest')
    return lambda: tune(lambda c: 0.5, sp, **{'tuner': 'grid', 'budget': 2, 'metric': 'accuracy', 'progress': False, **kw})

def _api_cases(tmp):
    from metahpo.tuners import Budget, GridSearch, RandomSearch
    from metahpo.metatuner import MetaTuner
    from metahpo.surrogate import MetaSurrogate
    from metahpo.reptile import synthetic_tasks, reptile, fomaml, make_net
    from metahpo.surrogate import expected_improvement
    from metahpo.metatuner import greedy_portfolio
    import numpy as np
    from metahpo.metadataset import RFProtocol, build_metadataset
    from metahpo.trainers.rf import load_pmlb
    from metahpo.suites import run_suite
    from metahpo.space import SearchSpace, Int, Ordinal, Categorical
    from metahpo.tuners import tune
    from metahpo.repository import TaskRecord
    from metahpo.integrations.optuna import MetaSampler
    from metahpo.tasks import make_objective
    from metahpo.peers import make_peer
    from metahpo.metadataset_nn import neural_protocol, load_series, load_images, load_rd_text, load_text
    from metahpo.trainers.bert import load_text_task
    from metahpo.benchmark import paired_differences, regret_table, regret_curves, task_regret
    from metahpo.metafeatures import metafeatures, task_distances
    return [
        ('float-nan-bound', lambda: Float('x', float('nan'), 1), "must be finite numbers"),
        ('float-inf-bound', lambda: Float('x', 0, float('inf')), "high=inf must be finite"),
        ('int-bounds-reversed', lambda: Int('n', 5, 1), "low=5 is above high=1"),
        ('ordinal-empty', lambda: Ordinal('o', ()), "o: an Ordinal needs at least one value"),
        ('tune-tuner-not-a-tuner', _tuning(tuner=123), "tuner=123 is not allowed"),
        ('tune-seed-text', _tuning(seed='x'), "seed 'x' is not allowed"),
        ('tell-loss-minus-inf', lambda: GridSearch(SearchSpace([Int('n', 1, 3)])).tell({'n': 1}, float('-inf')), "loss -inf is not allowed"),
        ('tell-loss-text', lambda: GridSearch(SearchSpace([Int('n', 1, 3)])).tell({'n': 1}, 'x'), "loss 'x' is not allowed"),
        ('tune-seed-fraction', _tuning(seed=1.5), "seed 1.5 is not allowed"),
        ('tune-seed-negative', _tuning(seed=-1), "seed -1 is not allowed"),
        ('tune-seed-2^64', _tuning(seed=2**64), f"seed {2**64} is not allowed"),
        ('tune-repository-number', _tuning(repository=123), "repository=123 is not allowed"),
        ('tune-timeout-inf', _tuning(trial_timeout_s=math.inf), "trial_timeout_s=inf is not allowed"),
        ('tune-timeout-bool', _tuning(trial_timeout_s=True), "trial_timeout_s=True is not allowed"),
        ('tune-tuner-unknown', _tuning(tuner='bayes'), "unknown tuner 'bayes'"),
        ('tune-direction-unknown', _tuning(direction='max'), "unknown direction 'max'"),
        ('tune-budget-zero', _tuning(budget=0), "n_trials=0 is not allowed"),
        ('repository-none', lambda: Repository(None), "repository path None is not allowed"),
        ('repository-number', lambda: Repository(123), "repository path 123 is not allowed"),
        ('repository-nul', lambda: Repository('a\x00b.db'), "repository path 'a\\x00b.db' is not allowed"),
        ('repository-read-only-missing', lambda: Repository(tmp / 'absent.db', create=False), "no repository at"),
        ('budget-negative', lambda: Budget(-1), "n_trials=-1 is not allowed"),
        ('budget-inf-seconds', lambda: Budget(seconds=math.inf), "seconds=inf is not allowed"),
        ('looks-continuous-n-splits-text', lambda: __import__('metahpo.trainers.rf').trainers.rf.looks_continuous([1, 2, 3], n_splits='5'), "n_splits='5' is not allowed: give a whole number, 2 or more"),
        ('pmlb-name-outside', lambda: load_pmlb('../../outside_secret', DATA if DATA.is_dir() else tmp), "'../../outside_secret' is not allowed"),
        ('metatuner-n-warm-negative', lambda: MetaTuner(get_space('random_forest'), 0, n_warm=-1), "n_warm=-1 is not allowed"),
        ('metatuner-parts', lambda: MetaTuner(get_space('random_forest'), 0, parts=('warm-start', 'ucb')), "unknown strategy 'ucb'; choose one of: warm-start, consensus, surrogate"),
        ('surrogate-loss', lambda: MetaSurrogate(loss='hinge').fit(synthetic_tasks(n_tasks=3)), "unknown loss 'hinge'; choose one of: mse, rank"),
        ('metatuner-parts-empty', lambda: MetaTuner(get_space('random_forest'), 0, parts=()), "parts=() is not allowed"),
        ('rf-protocol-n-configs', lambda: RFProtocol(n_configs=-1), "n_configs=-1 is not allowed"),
        ('rf-protocol-max-rows', lambda: RFProtocol(max_rows=0), "max_rows=0 is not allowed"),
        ('run-suite-members', lambda: run_suite('rf-grid', tmp / 'res', members=0), "members=0 is not allowed"),
        ('run-suite-seed', lambda: run_suite('rf-grid', tmp / 'res', seeds=[-1]), "seed -1 is not allowed"),
        ('run-suite-seeds-number', lambda: run_suite('rf-grid', tmp / 'res', seeds=3), "seeds=3 is not allowed: give a list of them, such as range(3)"),
        ('run-suite-own-slash', lambda: run_suite('rf-grid', tmp / 'res', tuners=['random'], own={'my/t': RandomSearch}), "own tuner name 'my/t' is not allowed"),
        ('check-seed-bool', lambda: __import__('metahpo.core').core.check_seed(True), "seed True is not allowed"),
        ('grid-too-large', lambda: GridSearch(SearchSpace([Float(f'p{i}', 0, 1) for i in range(4)]), resolution=10, max_points=1000), "more than max_points=1000"),
        ('tune-objective-not-callable', lambda: tune(42, get_space('random_forest'), 'grid', budget=2), "objective=42 is not allowed"),
        ('tune-metric-number', _tuning(metric=3), "metric=3 is not allowed"),
        ('tune-task-name', _tuning(task='mytask'), "task='mytask' is not allowed: give a TaskRecord"),
        ('tune-seed-differs', _tuning(tuner=GridSearch(get_space('random_forest'), seed=4), seed=2), "seed=2 differs from the seed the tuner object was made with (4)"),
        ('tune-tuner-other-space', _tuning(tuner=GridSearch(get_space('random_forest', wide=True))), "the tuner was made for another space"),
        ('task-record-modality-none', lambda: TaskRecord('t', 'm', None), "modality=None is not allowed"),
        ('param-name-number', lambda: SearchSpace([Float(3, 0, 1)]), "params[0] is named 3"),
        ('metasampler-unknown-argument', lambda: MetaSampler(bogus=1), "unexpected keyword argument 'bogus'"),
        ('metasampler-experience-number', lambda: MetaSampler(experience=3), "experience=3 is not allowed: give an Experience"),
        ('metasampler-meta-features-text', lambda: MetaSampler(meta_features={'rows': 'many'}), "meta-feature 'rows' is 'many'"),
        ('metasampler-experience-other-tuner', lambda: MetaSampler(experience=_no_experience(), tuner='random'), "experience: arguments of MetaTuner, but tuner='random'"),
        ('ray-init-address-number', lambda: _ray().ray_init(address=6379), "address=6379 is not allowed"),
        ('ray-init-cpus-fraction', lambda: _ray().ray_init(num_cpus=1.5), "num_cpus=1.5 is not allowed"),
        ('ray-executor-spread-text', lambda: _ray().RayExecutor(2, spread='no'), "spread='no' is not allowed"),
        ('ray-search-metric-number', lambda: _ray().MetahpoSearch(GridSearch(get_space('random_forest')), metric=5, mode='max'), "metric=5 is not allowed"),
        ('bert-val-fraction-text', lambda: _bert(val_fraction='a'), "val_fraction='a' is not allowed: give a fraction in (0, 1)"),
        ('bert-val-fraction-none', lambda: _bert(val_fraction=None), "val_fraction=None is not allowed: give a fraction in (0, 1)"),
        ('bert-split-seed-text', lambda: _bert(split_seed='x'), "split_seed='x' is not allowed"),
        ('resnet-val-fraction-text', lambda: _resnet(val_fraction='a'), "val_fraction='a' is not allowed: give a fraction in (0, 1)"),
        ('resnet-split-seed-negative', lambda: _resnet(split_seed=-1), "split_seed=-1 is not allowed"),
        # the trainers' spaces: a value no model trains on was taken silently (a learning rate of 0, a fractional batch cut down) or ended deep in torch in a trial
        ('lstm-space-learning-rate-zero', lambda: _lstm(space=_space(learning_rate=(0.01, 0.0))), "the space's learning_rate can be 0.0, which the LSTM here cannot train with: give a positive, finite number"),
        ('lstm-space-batch-zero', lambda: _lstm(space=_space(batch_size=(0, 16))), "the space's batch_size can be 0, which the LSTM here cannot train with: give a whole number of examples, 1 or more"),
        ('lstm-space-hidden-size-zero', lambda: _lstm(space=_space(hidden_size=(0,))), "the space's hidden_size can be 0"),
        ('bert-space-batch-fraction', lambda: _bert(space=_space(batch_size=(16.5,))), "the space's batch_size can be 16.5, which the BERT trainer cannot train with"),
        ('bert-space-epochs-zero', lambda: _bert(space=_space(epochs=(0, 3))), "the space's epochs can be 0, which the BERT trainer cannot train with: give a whole number of epochs, 1 or more"),
        ('resnet-space-momentum-zero', lambda: _resnet(space=_space(momentum=(0.0, 0.9))), "the space's momentum can be 0.0, which the ResNet trainer cannot train with: give a number in (0, 1)"),
        ('resnet-space-learning-rate-negative', lambda: _resnet(space=_space(learning_rate=(-0.1,))), "the space's learning_rate can be -0.1"),
        # the trainers' seeds and switches: torch took a seed of -1 and cut 1.5 to 1 silently, transformers failed on them in every trial, a text switched a flag on
        ('lstm-seed-negative', lambda: _lstm(seed=-1), "seed -1 is not allowed: give a whole number from 0 to 4294967295"),
        ('lstm-seed-fraction', lambda: _lstm(seed=1.5), "seed 1.5 is not allowed"),
        ('bert-seed-bool', lambda: _bert(seed=True), "seed True is not allowed"),
        ('resnet-seed-text', lambda: _resnet(seed='a'), "seed 'a' is not allowed"),
        ('lstm-window-norm-text', lambda: _lstm(window_norm='no'), "window_norm='no' is not allowed: give True or False"),
        ('bert-amp-text', lambda: _bert(amp='no'), "amp='no' is not allowed: give True or False"),
        ('resnet-progress-number', lambda: _resnet(progress=2), "progress=2 is not allowed: give True or False"),
        ('lstm-split-text', lambda: _lstm(split=(0.7, 'a')), "split=(0.7, 'a') is not allowed: give (train, validation) fractions"),
        ('lstm-split-number', lambda: _lstm(split=0.7), "split=0.7 is not allowed: give (train, validation) fractions"),
        ('lstm-window-bool', lambda: _lstm(window=True), "window=True and horizon=24 must be positive integers"),
        ('lstm-period-bool', lambda: _lstm(period=True), "period=True is not allowed: give the steps in a day"),
        # the trainers' data: Python's TypeError, FileNotFoundError, or an empty training part without a word
        ('lstm-series-none', lambda: __import__('metahpo.trainers.lstm').trainers.lstm.LSTMTrainer(None), "series=None is not allowed: give numbers in time order"),
        ('resnet-images-none', lambda: _resnet_images(None), "the training images are None: give uint8 images as an array (n, H, W, 3)"),
        ('text-task-test-fraction-above-one', lambda: load_text_task('subj', DATA if DATA.is_dir() else tmp, test_fraction=1.5), "test_fraction=1.5 is not allowed: give a fraction in (0, 1)"),
        ('text-task-file-missing', lambda: load_text_task('subj', tmp), "no text/subj.csv.gz under data directory"),
        ('make-objective-seed-none', lambda: make_objective('titanic', seed=None), "seed None is not allowed"),
        ('make-objective-seed-bool', lambda: make_objective('titanic', seed=True), "seed True is not allowed"),
        ('make-objective-seed-fraction', lambda: make_objective('titanic', seed=1.5), "seed 1.5 is not allowed"),
        ('make-objective-task-list', lambda: make_objective(['titanic']), "unknown task ['titanic']; choose one of: titanic"),
        ('make-objective-model-list', lambda: make_objective('titanic', ['random_forest']), "unknown model ['random_forest'] for task 'titanic'"),
        ('make-objective-test-fraction-lstm', lambda: make_objective('electricity', test_fraction=0.2), "test_fraction=0.2 is for a random forest (task titanic)"),
        ('make-objective-data-dir-number', lambda: make_objective('electricity', data_dir=3), "data_dir=3 is not allowed: give a folder's path"),
        ('make-objective-split-seed-false', lambda: make_objective('titanic', split_seed=False), "split_seed=False is not allowed"),  # was split seed 0
        ('rf-test-fraction-one', lambda: _rf(test_fraction=1.0), "test_fraction=1.0 is not allowed: give a fraction in (0, 1)"),
        ('rf-test-fraction-text', lambda: _rf(test_fraction='0.2'), "test_fraction='0.2' is not allowed: give a fraction in (0, 1)"),
        ('rf-test-fraction-nan', lambda: _rf(test_fraction=math.nan), "test_fraction=nan is not allowed"),
        ('rf-table-infinite', lambda: _rf(X=pd.DataFrame({'x': np.r_[np.arange(39.0), -np.inf]})), "X's column 'x' holds 1 infinite value(s), the first at row 39: give finite numbers, or NaN"),  # scikit-learn's ValueError in every trial before
        ('rf-table-beyond-float32', lambda: _rf(X=pd.DataFrame({'x': np.r_[np.arange(39.0), 1e300]})), "X's column 'x' holds 1 value(s) beyond float32's range (magnitude over 3.4e+38), the first 1e+300 at row 39"),  # every trial failed before
        ('rf-test-fraction-holds-none', lambda: _rf(test_fraction=0.001), "test_fraction=0.001 of 40 rows holds out 0"),
        ('rf-split-seed-negative', lambda: _rf(test_fraction=0.2, split_seed=-1), "split_seed=-1 is not allowed"),
        # the forest's own arguments: a seed of None drew other folds each call, the rest failed in scikit-learn or as an AttributeError
        ('rf-seed-none', lambda: _rf(seed=None), "seed None is not allowed: give a whole number from 0 to 4294967295"),
        ('rf-max-rows-zero', lambda: _rf(max_rows=0), "max_rows=0 is not allowed: give a whole number, 1 or more"),
        ('rf-n-jobs-zero', lambda: _rf(n_jobs=0), "n_jobs=0 is not allowed"),
        ('rf-space-list', lambda: _rf(space=list(get_space('random_forest').params)), "is not allowed: give a metahpo.space.SearchSpace"),
        ('rf-space-max-depth-zero', lambda: _rf(space=SearchSpace([Int('n_estimators', 10, 20), Int('max_depth', 0, 5), Int('min_samples_split', 2, 4)])),
         "the space's max_depth can be 0, which a forest here cannot take"),
        # the forest's table: each failed in scikit-learn or pandas, most in every trial
        ('rf-labels-nan', lambda: _rf(y=np.r_[np.nan, np.arange(39) % 2]), "y holds 1 missing label(s) (NaN or None), the first at row 0"),
        ('rf-labels-text-and-numbers', lambda: _rf(y=np.array([1, 'a'] * 20, dtype=object)), "y holds labels of kinds that cannot be sorted together"),
        ('rf-table-duplicate-columns', lambda: _rf(X=pd.DataFrame(np.zeros((40, 2)), columns=['x', 'x'])), "X has duplicate column name(s) ['x']"),
        ('rf-labels-indexed-otherwise', lambda: _rf(y=pd.Series(np.arange(40) % 2, index=np.arange(40)[::-1])), "X and y are indexed differently (row 0 is 0 in X, 39 in y)"),  # paired by position silently
        ('rf-table-no-columns', lambda: _rf(X=pd.DataFrame(index=range(40))), "X has no columns (40 rows)"),
        ('neural-protocol-unknown-setting', lambda: neural_protocol('lstm', epochs=3), "unknown LSTM protocol setting 'epochs'; choose one of: n_configs, epoch_scale"),
        ('neural-protocol-profile-name', lambda: neural_protocol('lstm', profile_name='full'), "unknown LSTM protocol setting 'profile_name'"),
        ('neural-protocol-epoch-scale', lambda: neural_protocol('lstm', epoch_scale=0), "epoch_scale=0 is not allowed: give a fraction in (0, 1]"),
        ('neural-protocol-max-length', lambda: neural_protocol('bert', max_length=4), "max_length=4 is not allowed: give tokens in [8, 512]"),
        ('neural-protocol-stem', lambda: neural_protocol('resnet50', stem='vit'), "unknown stem 'vit'; choose one of: cifar, imagenet"),
        ('neural-protocol-model-none', lambda: neural_protocol('bert', model=None), "model=None is not allowed: give 'minilm'"),  # each trial failed, recorded in the study
        ('neural-protocol-family-list', lambda: neural_protocol(['lstm']), "unknown neural family ['lstm']; choose one of: lstm"),
        ('lstm-series-list', lambda: load_series(['taylor']), "unknown LSTM meta-dataset task ['taylor']"),
        ('lstm-objective-unknown', lambda: neural_protocol('lstm').objective('sunspots', [1.0] * 100), "unknown LSTM meta-dataset task 'sunspots'; choose one of"),
        ('image-task-list', lambda: load_images(['digits']), "unknown image meta-dataset task ['digits']"),
        ('lstm-series-data-dir-number', lambda: load_series('uci-MT_002', 3), "data_dir=3 is not allowed: give a folder's path"),
        ('text-task-data-dir-number', lambda: load_text('sst2', 3), "data_dir=3 is not allowed: give a folder's path"),
        ('image-task-data-dir-number', lambda: load_images('cifar10-cat-dog', 3), "data_dir=3 is not allowed: give a folder's path"),
        ('rd-text-list', lambda: load_rd_text(['rd-birds-phase']), "unknown R text set ['rd-birds-phase']"),
        ('neural-check-tasks-string', lambda: neural_protocol('lstm').check_tasks('taylor'), "tasks='taylor' is a string: give a list of task names"),
        ('neural-check-tasks-not-names', lambda: neural_protocol('lstm').check_tasks(['taylor', 1, None]), "tasks holds 1, which is not a task name"),
        ('neural-check-tasks-number', lambda: neural_protocol('lstm').check_tasks(3), "tasks=3 is not allowed: give a list of task names"),
        # a data directory that is missing or lacks the family's folder: the tasks that read it failed one by one in the summary, the others were built
        ('neural-build-data-dir-typo', lambda: build_metadataset(tmp / 'n.db', neural_protocol('lstm', n_configs=1), ['sm-nile', 'uci-MT_002'], tmp / 'typo', progress=False),
         f"data directory {str(tmp / 'typo')!r} does not exist"),
        ('neural-build-no-electricity', lambda: build_metadataset(tmp / 'n.db', neural_protocol('lstm', n_configs=1), ['uci-MT_002'], tmp, progress=False),
         "has no electricity/ folder, which task(s) uci-MT_002 read"),
        # the meta-learning core (reptile, surrogate, metatuner): each of these ran silently (or died in torch, numpy or Python) before
        ('reptile-batch-zero', lambda: reptile(make_net(5, 4, 1, 0), synthetic_tasks(n_tasks=3), meta_steps=1, batch=0), "batch=0 is not allowed"),
        ('fomaml-inner-lr-nan', lambda: fomaml(make_net(5, 4, 1, 0), synthetic_tasks(n_tasks=3), meta_steps=1, inner_lr=math.nan), "inner_lr=nan is not allowed"),
        ('reptile-tasks-per-step-zero', lambda: reptile(make_net(5, 4, 1, 0), synthetic_tasks(n_tasks=3), meta_steps=1, tasks_per_step=0), "tasks_per_step=0 is not allowed"),
        ('reptile-seed-negative', lambda: reptile(make_net(5, 4, 1, 0), synthetic_tasks(n_tasks=3), meta_steps=1, seed=-1), "seed=-1 is not allowed"),
        ('synthetic-tasks-noise-nan', lambda: synthetic_tasks(n_tasks=3, noise=math.nan), "noise=nan is not allowed"),  # NaN scores on every bowl before
        ('make-net-depth-negative', lambda: make_net(5, 4, -1, 0), "depth=-1 is not allowed"),  # a network of depth 0 before
        ('surrogate-diverged', lambda: MetaSurrogate(n_members=1, meta_steps=20, inner_lr=1e6, calibrate=False).fit(synthetic_tasks(n_tasks=5)),
         "diverged: member 0's weights are not finite numbers"),  # NaN predictions before, which MetaTuner ranked as its first candidates
        ('surrogate-fit-one-task', lambda: MetaSurrogate(n_members=1, meta_steps=1).fit(synthetic_tasks(n_tasks=3)[0]), "tasks is one MetaTask ('bowl0')"),
        ('surrogate-adapt-text-scores', lambda: _fitted_surrogate().adapt(np.zeros((3, 2)), ['a', 'b', 'c'], np.zeros(3)), "scores y must be numbers"),
        ('surrogate-predict-text-configs', lambda: _fitted_surrogate().predict([['a', 'b']], np.zeros(3)), "configurations X must be numbers"),
        ('expected-improvement-negative-scale', lambda: expected_improvement(np.zeros(1), -np.ones(1), 0.0), "scales of 0 or more, got -1.0"),
        ('metatuner-task-number', lambda: MetaTuner(get_space('random_forest'), 0, task=5), "task=5 is not allowed"),
        ('reptile-relu-net', lambda: reptile(torch_nn().Sequential(torch_nn().Linear(5, 4), torch_nn().ReLU(), torch_nn().Linear(4, 1)), synthetic_tasks(n_tasks=3), meta_steps=1),
         "net's layer 1 is ReLU(), where make_net has Tanh"),  # trained as if its ReLU were Tanh
        ('metatuner-surrogate-class', lambda: MetaTuner(get_space('random_forest'), 0, surrogate=MetaSurrogate), "(an instance, such as MetaSurrogate(), not the class)"),
        ('metatuner-shared-surrogate-leak', _shared_surrogate_leak, "was meta-trained on the tuned task 'toy1' after this tuner was made"),
        ('greedy-portfolio-weights', lambda: greedy_portfolio(np.eye(3), 1, weights=[1.0]), "weights=[1.0] is not allowed: give one weight per past task (3)"),
        ('peer-meta-features-list', lambda: make_peer('nn-warm-start', get_space('random_forest'), 0, meta_features=[30, 0.1]),
         "meta_features of type list is not allowed: give a mapping of names to numbers"),
        ('peer-name-list', lambda: make_peer(['tpe'], get_space('random_forest')), "unknown peer ['tpe']; choose one of: tpe"),
        ('peer-space-name', lambda: make_peer('zero-shot', 'random_forest', 0), "space='random_forest' is not allowed: give a metahpo.space.SearchSpace"),
        ('peer-max-retries-negative', lambda: _peer('tpe', max_retries=-1), "max_retries=-1 is not allowed: give a whole number, 0 or more"),
        ('peer-n-neighbours-negative', lambda: _peer('nn-warm-start', n_neighbours=-1), "n_neighbours=-1 is not allowed: give a whole number, 0 or more"),
        ('peer-n-source-tasks-zero', lambda: _peer('cmaes-ws', n_source_tasks=0), "n_source_tasks=0 is not allowed: give a whole number, 1 or more"),
        ('peer-n-candidates-zero', lambda: _peer('quantile', n_candidates=0), "n_candidates=0 is not allowed: give a whole number, 1 or more"),
        # the Optuna peers' own arguments: Python's TypeError or ValueError (a single configuration's keys read as configurations), or (source_trials) a warm start replaced silently
        ('peer-warm-start-one-config', lambda: _peer('tpe', warm_start_configs={'n_estimators': 300, 'max_depth': 30, 'min_samples_split': 2}),
         "is not allowed: give a list of configurations, such as [config], or None"),
        ('peer-sampler-kwargs-seed', lambda: _peer('tpe', sampler_kwargs={'seed': 3}), "sampler_kwargs holds seed=3: the sampler takes the tuner's seed"),
        ('peer-sampler-kwargs-unknown', lambda: _peer('tpe', sampler_kwargs={'n_startup': 3}), "'n_startup' is no argument of Optuna's TPESampler (sampler 'tpe'); give one of:"),
        ('peer-sampler-kwargs-list', lambda: _peer('nn-warm-start', sampler_kwargs=[1]), "sampler_kwargs=[1] is not allowed: give a mapping of the Optuna sampler's arguments"),
        ('peer-searcher-other-method', lambda: _peer('zero-shot', searcher='random'), "searcher='random' is for method='bounding-box' (the searcher inside the box); 'zero-shot' has none"),  # was ignored
        ('peer-task-number', lambda: _peer('cmaes-ws', experience=__import__('metahpo.testing').testing.toy_experience(get_space('random_forest')), task=5), "task=5 is not allowed: give the tuned task's name (a string), a list of its names, or None"),  # TypeError before
        ('tune-metric-not-the-objectives', lambda: tune(_TwoMetrics(), get_space('random_forest'), 'grid', budget=2, metric='time'),
         "metric='time' is not the objective's own metric ('accuracy', to maximize), so its direction is not known: give direction="),  # time was maximised
        ('peer-n-candidates-other-method', lambda: _peer('bounding-box', n_candidates=500), "n_candidates=500 is for method='quantile'"),  # was ignored
        ('peer-cmaes-ws-source-trials', lambda: _peer('cmaes-ws', sampler_kwargs={'source_trials': []}), "sampler_kwargs holds 'source_trials', which CmaEsWarmStart makes from `experience`"),
        # YAHPO's surrogate: a text failed in onnxruntime at the first prediction, -1 was taken silently
        ('yahpo-n-threads-text', lambda: _yahpo_scenario(n_threads='2'), "n_threads='2' is not allowed: give a whole number of threads, 1 or more, or None"),
        ('yahpo-n-threads-negative', lambda: _yahpo_scenario(n_threads=-1), "n_threads=-1 is not allowed"),
        # recording YAHPO experience: refused after the repository file was made (an unknown metric), or taken (a seed of None named the studies '-seedNone')
        ('yahpo-record-metric-unknown', lambda: _record_yahpo(metric='acc'), "unknown target of YAHPO scenario lcbench: 'acc'; choose one of: time, val_accuracy"),
        ('yahpo-record-seed-none', lambda: _record_yahpo(seed=None), "seed None is not allowed: give a whole number from 0 to 4294967295"),
        # the search space and the baseline tuners: each of these was made, then failed later with a TypeError, ValueError or AttributeError, or did nothing
        ('categorical-function-choices', lambda: Categorical('act', [math.sin, math.cos]), "act: the choice <built-in function sin> is not allowed (of type builtin_function_or_method, which JSON cannot hold)"),
        ('decode-nan', lambda: SearchSpace([Float('lr', 1e-4, 0.1, log=True), Int('n', 1, 3)]).decode([math.nan, 0.5]), "lr: cannot decode nan"),
        ('decode-nan-int', lambda: SearchSpace([Float('lr', 1e-4, 0.1, log=True), Int('n', 1, 3)]).decode([0.5, math.nan]), "n: cannot decode nan"),
        ('grid-search-space-list', lambda: GridSearch([Int('n', 1, 3)]), "space=[Int(name='n', low=1, high=3, log=False)] is not allowed: give a metahpo.space.SearchSpace"),
        ('random-search-max-retries-zero', lambda: RandomSearch(get_space('random_forest', wide=True), 0, max_retries=0), "max_retries=0 is not allowed"),
        ('random-search-replace-text', lambda: RandomSearch(get_space('random_forest'), 0, replace='no'), "replace='no' is not allowed: give True or False"),
        ('tune-callbacks-one-function', _tuning(callbacks=print), "callbacks=<built-in function print> is one function: give a list of them, such as callbacks=[print]"),
        ('tune-callbacks-none-inside', _tuning(callbacks=[None]), "callbacks[0]=None is not allowed"),
        ('tune-wait-negative', _tuning(wait_s=-1), "wait_s=-1 is not allowed"),
        # the benchmark's tables: each of these died in Python or numpy, named a tuner that was there ('meta'), or left a k out silently
        ('paired-differences-ks-number', lambda: paired_differences(_runs(), ks=5), "ks=5 is not allowed: give numbers of evaluations, whole numbers 1 or more"),
        ('paired-differences-k-zero', lambda: paired_differences(_runs(), ks=(0,)), "ks=(0,) is not allowed: give numbers of evaluations"),
        ('paired-differences-k-fraction', lambda: paired_differences(_runs(), ks=(2.5,)), "ks=(2.5,) is not allowed"),
        ('paired-differences-n-boot-zero', lambda: paired_differences(_runs(), ks=(1,), n_boot=0), "n_boot=0 is not allowed: give a whole number, 1 or more"),
        ('regret-table-k-zero-among', lambda: regret_table(_runs(), ks=(0, 2)), "ks=(0, 2) is not allowed"),
        ('regret-curves-seed-negative', lambda: regret_curves(_runs(), seed=-1), "seed -1 is not allowed"),
        ('task-regret-k-zero', lambda: task_regret(_runs(), 0), "k=0 is not allowed: give a whole number, 1 or more"),
        # meta-features: each of these died in Python, NumPy or pandas, or (complex values) lost their imaginary parts silently
        ('metafeatures-texts-none', lambda: metafeatures('text', None, None), "texts must be a sequence of documents in the order of the labels (a list, an array or a Series of strings), not NoneType None"),
        ('metafeatures-texts-set', lambda: metafeatures('text', {'a b', 'c d'}, [0, 1]), "texts must be a sequence of documents in the order of the labels"),
        ('metafeatures-images-none', lambda: metafeatures('image', None, None), "images must be an N x H x W x C (or N x H x W) array, or a list of H x W (x C) arrays, not NoneType None"),
        ('metafeatures-labels-unhashable', lambda: metafeatures('text', ['a b', 'c d'], [{'y': 1}, {'y': 0}]), "labels must be single values (numbers or text), not dict: the one at position 0 is {'y': 1}"),
        ('metafeatures-series-none', lambda: metafeatures('timeseries', None), "series must be numbers in time order (a list, an array or a Series), not NoneType None"),
        ('metafeatures-series-ragged', lambda: metafeatures('timeseries', [[1.0, 2.0], [3.0]]), "series cannot be read as one number per time step: give a flat list, an array or a Series, not list [[1.0, 2.0], [3.0]]"),
        ('metafeatures-labels-forgotten', lambda: metafeatures('text', ['a b', 'c d']), "metafeatures('text', ...) takes the data (texts, labels): 1 positional argument(s) given"),
        ('task-distances-infinite', lambda: task_distances({'a': {'x': float('inf'), 'y': 1.0}, 'b': {'x': 1.0, 'y': 2.0}}), "the meta-features hold infinite values in column(s) ['x']: give finite numbers"),
        ('task-distances-text', lambda: task_distances({'a': {'x': 'big'}, 'b': {'x': 1.0}}), "the meta-features must be numbers; column(s) ['x'] are not (the first holds 'big')"),
        ('metafeatures-series-dates', lambda: metafeatures('timeseries', pd.date_range('2024-01-01', periods=30, freq='D')), "series holds dates (datetime64), the first Timestamp('2024-01-01 00:00:00'): give the values, indexed by their dates"),
        ('metafeatures-series-freq-contradicts-index', lambda: metafeatures('timeseries', pd.Series(np.arange(30.0), index=pd.date_range('2024-01-01', periods=30, freq='D')), freq='h'),
         "freq='h' contradicts the series' DatetimeIndex, which steps by 'D': leave freq out (the index gives it) or give 'D'"),
        ('metafeatures-series-complex', lambda: metafeatures('timeseries', [1.0, 2.0, 3 + 1j, 4.0]), "series holds complex numbers (1 with an imaginary part, the first (3+1j) at position 2): give real numbers"),
        # no data at all: a full vector of 0s before, as if the set had been described
        ('metafeatures-texts-empty', lambda: metafeatures('text', [], []), "there is no document with a label: give at least one document and its label"),
        ('metafeatures-images-empty', lambda: metafeatures('image', np.zeros((0, 8, 8, 3), np.uint8), []), "there is no image with a label (0 image(s))"),
        ('metafeatures-series-all-missing', lambda: metafeatures('timeseries', [np.nan] * 5), "series has no value (5 step(s), all missing)"),
    ]

def _ray():
    "The Ray integration (its cases are skipped where Ray is not installed)."
    pytest.importorskip('ray')
    import metahpo.integrations.ray as R
    return R

def _no_experience():
    from metahpo.experience import Experience
    return Experience([])

class _TwoMetrics:
    "An objective that says its metric (and direction) and measures another besides."
    metric, direction = 'accuracy', 'maximize'
    def __call__(self, config): return {'accuracy': 0.5, 'time': 1.0}

def _peer(name, **kw):
    "A peer built by its class, with the arguments `make_peer` leaves at their defaults."
    from metahpo.peers_optuna import OptunaTuner, NearestNeighbourWarmStart, CmaEsWarmStart
    from metahpo.peers_synetune import SyneTuneTuner
    sp = get_space('random_forest')
    if name == 'tpe': return OptunaTuner(sp, 0, 'tpe', **kw)
    if name == 'nn-warm-start': return NearestNeighbourWarmStart(sp, 0, **kw)
    if name == 'cmaes-ws': return CmaEsWarmStart(sp, 0, **kw)
    return SyneTuneTuner(sp, 0, name, **kw)

def _yahpo_scenario(**kw):
    from metahpo.yahpo import YahpoScenario
    return YahpoScenario('lcbench', DATA, **kw)

def _record_yahpo(**kw):
    from metahpo.yahpo import record_yahpo_experience
    return record_yahpo_experience('yahpo.db', 'lcbench', ['3945'], n_configs=2, data_dir=DATA, progress=False, **kw)

def _runs():
    "Two tuners' runs on three tasks, two seeds, two evaluations: a table of `run_benchmark`."
    return pd.DataFrame([dict(tuner=t, task=f't{i}', seed=s, k=k, regret=0.5 / k + (t == 'random') * 0.1)
                         for t in ('meta', 'random') for i in range(3) for s in (0, 1) for k in (1, 2)])

def torch_nn():
    import torch
    return torch.nn

def _shared_surrogate_leak():
    "Two tuners made first, sharing one surrogate; the first meta-trains it on its past (toy1 among it), then the second, tuning toy1, asks."
    from metahpo.metatuner import MetaTuner
    from metahpo.surrogate import MetaSurrogate
    from metahpo.testing import toy_experience
    sp = get_space('random_forest'); ex = toy_experience(sp); one = MetaSurrogate(n_members=1, meta_steps=2)
    first, second = (MetaTuner(sp, 0, experience=ex, task=t, meta_features={'shift': 0.5}, surrogate=one) for t in ('toy0', 'toy1'))
    for t in (first, second):
        for i in range(5): t.tell(t.ask(), float(i))

def _fitted_surrogate():
    from metahpo.surrogate import MetaSurrogate
    from metahpo.reptile import synthetic_tasks
    return MetaSurrogate(n_members=1, meta_steps=1).fit(synthetic_tasks(n_tasks=3))

def _rf(X=None, y=None, **kw):
    import numpy as np
    from metahpo.trainers.rf import RandomForestTrainer
    return RandomForestTrainer(pd.DataFrame({'x': np.arange(40.0)}) if X is None else X, np.arange(40) % 2 if y is None else y, **kw)

def _bert(**kw):
    from metahpo.trainers.bert import BertTrainer
    df = pd.DataFrame({'text': ['good', 'bad'] * 20, 'label': [1, 0] * 20})
    return BertTrainer(df, df, **kw)

def _lstm(**kw):
    import numpy as np
    from metahpo.trainers.lstm import LSTMTrainer
    return LSTMTrainer(pd.Series(np.sin(np.arange(400) / 4.0)), **{'window': 48, 'horizon': 24, **kw})

def _space(**values):
    "The grid's three parameters, each an ordinal of one value, with `values` put in (an ordinal of those values each)."
    from metahpo.space import SearchSpace, Ordinal
    return SearchSpace([Ordinal(k, v) for k, v in {'learning_rate': (0.01,), 'batch_size': (16,), 'epochs': (3,), **values}.items()])

def _resnet_images(x_train):
    import numpy as np
    from metahpo.trainers.resnet import ResNetTrainer
    x, y = np.zeros((40, 8, 8, 3), np.uint8), np.arange(40) % 2
    return ResNetTrainer(x_train, y, x, y)

def _resnet(**kw):
    import numpy as np
    from metahpo.trainers.resnet import ResNetTrainer
    x, y = np.zeros((40, 8, 8, 3), np.uint8), np.arange(40) % 2
    return ResNetTrainer(x, y, x, y, **kw)

API = [c[0] for c in _api_cases(Path('/nonexistent'))]

@pytest.mark.parametrize('name', API)
def test_api_bad_input(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fn, expect = {c[0]: c[1:] for c in _api_cases(tmp_path)}[name]
    err = None
    try: fn()
    except MetahpoError as e: err = e
    except Exception as e: err = e
    rec = dict(via='api', case=name, traceback=err is not None and not isinstance(err, MetahpoError), silent=err is None, exit0=False,
               left_behind=any(tmp_path.iterdir()), names_value=err is not None and expect in str(err))
    record_figure('bad_inputs', **rec)
    assert err is not None, f"{name}: accepted silently"
    assert isinstance(err, MetahpoError), f"{name}: {type(err).__name__}: {err} (not a MetahpoError)"
    assert expect in str(err) and '\n' not in str(err), f"{name}: {str(err)!r} does not say {expect!r} in one line"
    assert not any(tmp_path.iterdir()), f"{name}: left behind {list(tmp_path.iterdir())}"

# Through the installed command, as a user meets them: exit status and stderr of the real process
PROCESS = ['seed-negative', 'repo-garbled-pages', 'import-huge-metric', 'export-repo-typo', 'metadataset-max-rows-zero', 'titanic-all-nan']

@pytest.mark.parametrize('name', PROCESS)
def test_process_bad_input(name, m, tmp_path, metahpo_cmd):
    _, args, expect = next(c for c in CLI if c[0] == name)
    args = [a.format(d=m, data=DATA) for a in args]
    before = _tree(m, tmp_path)
    r = subprocess.run([metahpo_cmd, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={k: v for k, v in os.environ.items() if k != 'METAHPO_REPOSITORY'})
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    left = sorted(set(_tree(m, tmp_path)) - set(before))
    record_figure('bad_inputs', via='process', case=name, traceback='Traceback' in r.stderr, silent=r.returncode == 0 and not lines,
                  exit0=r.returncode == 0 and bool(lines), left_behind=bool(left), names_value=any(expect in l for l in lines))
    assert r.returncode == 2 and len(lines) == 1 and expect in lines[0] and 'Traceback' not in r.stderr, (r.returncode, r.stderr)
    assert not left, left

def _wait_loaded(p, lib:str, timeout:float=30):
    "Wait until process `p` has loaded the shared library `lib` (Linux: its /proc maps; elsewhere, or once it ended, return at once)."
    maps, t0 = Path(f'/proc/{p.pid}/maps'), time.monotonic()
    while p.poll() is None and time.monotonic() - t0 < timeout:
        try:
            if lib in maps.read_text(): return
        except FileNotFoundError: return
        except OSError: pass
        time.sleep(0.005)

@pytest.mark.parametrize('delay', [0.3, 1.0])
def test_ctrl_c_during_start_up(delay, tmp_path, metahpo_cmd):
    "Ctrl-C while the command is still starting (importing, loading data) ends with a line, not a traceback."
    p = subprocess.Popen([metahpo_cmd, 'tune', '--budget', '1', '--repo', str(tmp_path / 'r.db'), '--no-progress'], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_loaded(p, '_sqlite3')  # metahpo.cli imports it: the console script is about to call main, which turns Ctrl-C into a line
    time.sleep(delay); p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    record_figure('bad_inputs', via='process', case=f'ctrl-c-at-{delay}s', traceback='Traceback' in err, silent=False, exit0=False,
                  left_behind=False, names_value=True)
    assert 'Traceback' not in err, err
    assert p.returncode in (0, 130), (p.returncode, err)  # 0 if the one trial finished before the signal

def test_import_skip_invalid(m, tmp_path):
    "With --skip-invalid the valid rows are imported and each rejected row is listed with its reason."
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(['import', str(m / 'huge.parquet'), '--skip-invalid', '--repo', str(tmp_path / 'ok.db')])
    assert code == 0, err.getvalue()
    assert 'and 5 trial(s)' in out.getvalue() and '1 row(s) skipped' in out.getvalue(), out.getvalue()
    assert 'skipped row 2: metric accuracy=1e+308 is not a number from 0 to 100' in err.getvalue(), err.getvalue()

def test_import_skip_invalid_says_each_row_once(m, tmp_path, metahpo_cmd):
    "The command lists the rows it skipped; the library's warning that says the same is not printed beside it."
    r = subprocess.run([metahpo_cmd, 'import', str(m / 'huge.parquet'), '--skip-invalid', '--repo', str(tmp_path / 'ok.db')], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr.count('accuracy=1e+308') == 1 and 'WARNING' not in r.stderr, r.stderr
