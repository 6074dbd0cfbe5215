"A study killed mid-run keeps every completed trial, and the same command resumes it instead of starting over."
import datetime as dt, os, signal, sqlite3, subprocess, time
from pathlib import Path
import pytest
from metahpo.repository import Repository

STUDY = 'titanic-random_forest-grid-seed0'
DATA = Path(os.environ.get('METAHPO_DATA_DIR', Path(__file__).resolve().parents[2] / 'shared' / 'data'))
needs_pmlb = pytest.mark.skipif(not (DATA / 'pmlb').exists(), reason=f"no PMLB data under {DATA}: set METAHPO_DATA_DIR")

def _count(db: Path) -> int:
    if not db.exists(): return 0
    try:
        con = sqlite3.connect(db, timeout=5)
        try: return con.execute("SELECT COUNT(*) FROM trials").fetchone()[0]
        finally: con.close()
    except sqlite3.OperationalError: return 0  # the schema is not written yet

def _start(cmd, db, budget):
    # Ctrl-C must reach the study even when pytest itself was started in the background, where the shell
    # ignores SIGINT and every child would inherit that: the child restores the default handler first.
    return subprocess.Popen([cmd, 'tune', '--task', 'titanic', '--tuner', 'grid', '--budget', str(budget), '--repo', str(db), '--no-progress'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

def _wait_for(db, n, p, timeout=120):
    t0 = time.time()
    while _count(db) < n:
        assert p.poll() is None, f"the study ended before {n} trials: {p.communicate()}"
        assert time.time() - t0 < timeout, "no progress"
        time.sleep(0.1)

def _signal_mid_study(cmd, db, sig, budget=7, tries=3):
    "Start a study, send `sig` once it has 2 trials; start again (a new file) when the study had ended before the signal was sent: the test process was held up so long (a loaded machine) that it signalled a finished process."
    for attempt in range(tries):
        for x in ('', '-wal', '-shm'): Path(f'{db}{x}').unlink(missing_ok=True)
        p = _start(cmd, db, budget)
        _wait_for(db, 2, p)
        sent = dt.datetime.now(dt.timezone.utc)
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        if p.returncode == 0:
            with Repository(db) as r: last = max(dt.datetime.fromisoformat(t.finished_at) for t in r.trials(STUDY))
            if last < sent and attempt + 1 < tries: continue  # ended before the signal: not a lost Ctrl-C (a lost one leaves trials finished after it)
        return p, out, err

@pytest.mark.parametrize('sig', [signal.SIGKILL, signal.SIGINT], ids=['kill', 'ctrl-c'])
def test_interrupted_study_resumes(tmp_path, metahpo_cmd, sig):
    db = tmp_path / 'exp.db'
    p, out, err = _signal_mid_study(metahpo_cmd, db, sig)
    if sig == signal.SIGINT:
        assert p.returncode == 130, (out, err)
        assert 'run the same command again to resume' in err
    else: assert p.returncode == -signal.SIGKILL
    with Repository(db) as r: before = r.trials(STUDY)
    assert 2 <= len(before) < 7 and all(t.ok for t in before)
    r2 = subprocess.run([metahpo_cmd, 'tune', '--task', 'titanic', '--tuner', 'grid', '--budget', '7', '--repo', str(db), '--no-progress'],
                        capture_output=True, text=True, timeout=300)
    assert r2.returncode == 0, r2.stderr
    assert f"resuming study '{STUDY}': {len(before)} trial(s)" in r2.stderr
    assert f"7 (7 complete, 0 failed, {len(before)} resumed)" in r2.stdout
    with Repository(db) as r: after = r.trials(STUDY)
    assert [t.uid for t in after[:len(before)]] == [t.uid for t in before]  # kept, not redone
    assert len({str(sorted(t.config.items())) for t in after}) == 7  # grid: no configuration twice
    from metahpo.space import get_space
    assert [t.config for t in after] == list(get_space('random_forest').grid())[:7]  # the order of an uninterrupted run

@needs_pmlb
@pytest.mark.parametrize('sig', [signal.SIGTERM, signal.SIGINT], ids=['sigterm', 'ctrl-c'])
def test_metadataset_workers_stop_with_the_builder(tmp_path, metahpo_cmd, sig):
    "A meta-dataset build with a pool of workers, stopped: no worker outlives it, none prints a traceback, and what finished is kept."
    db = tmp_path / 'm.db'
    p = subprocess.Popen([metahpo_cmd, 'metadataset', '--family', 'random_forest', '--tasks', 'adult,mushroom', '--n-configs', '6', '--workers', '2',
                          '--repo', str(db), '--data-dir', str(DATA), '--no-progress'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _wait_for(db, 1, p, timeout=240)
    if sig == signal.SIGINT: os.killpg(p.pid, sig)  # Ctrl-C reaches the terminal's whole process group
    else: p.send_signal(sig)  # SIGTERM, to the builder alone (as `kill PID` or a job scheduler sends it)
    out, err = p.communicate(timeout=120)
    assert p.returncode == (143 if sig == signal.SIGTERM else 130), (out, err)
    assert ('stopped by SIGTERM' if sig == signal.SIGTERM else 'interrupted') + ': every finished evaluation is saved' in err, err
    assert 'Traceback' not in err, err
    time.sleep(1)
    with pytest.raises(ProcessLookupError): os.killpg(p.pid, 0)  # no process of the build is left
    assert 1 <= _count(db) < 12

@needs_pmlb
def test_builder_in_a_child_process_leaves_ctrl_c_to_its_caller(tmp_path):
    "build_metadataset run inside a process of the caller's (not a pool worker of its own): Ctrl-C reaches the caller's own handlers."
    import multiprocessing
    from metahpo.metadataset import RFProtocol, build_metadataset
    db, said = tmp_path / 'm.db', tmp_path / 'said.txt'
    def job():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try: build_metadataset(db, RFProtocol('grid', n_configs=6), ['adult'], DATA, progress=False)
        except KeyboardInterrupt: said.write_text('caught')
    p = multiprocessing.get_context('fork').Process(target=job); p.start()
    t0 = time.time()
    while _count(db) < 1:
        assert p.is_alive() and time.time() - t0 < 120, 'no trial recorded'
        time.sleep(0.1)
    os.kill(p.pid, signal.SIGINT); p.join(60)
    assert said.exists() and said.read_text() == 'caught' and p.exitcode == 0, p.exitcode

def test_benchmark_stopped_by_sigterm_says_so_and_resumes(tmp_path, metahpo_cmd):
    "`metahpo benchmark` stopped by SIGTERM (`kill PID`, a job scheduler) ends as Ctrl-C does: one line, exit status 143, and its runs resume."
    out = tmp_path / 'res'
    cmd = [metahpo_cmd, 'benchmark', '--suite', 'rf-grid', '--tuners', 'random,grid', '--seeds', '3', '--budget', '27', '--out', str(out),
           '--no-progress', '--no-surrogate-report']
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs, t0 = out / 'rf-grid' / 'meta-test' / 'runs', time.time()
    while not (runs.is_dir() and any(runs.iterdir())):  # a task's replay is saved: the runs are under way
        assert p.poll() is None, f"the benchmark ended before its first task was saved: {p.communicate()}"
        assert time.time() - t0 < 120, "no run saved"
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 143, (p.returncode, err)
    assert f"stopped by SIGTERM: finished runs, and the tasks the interrupted run had done, are saved under {runs}; run the same command again to resume" in err, err
    assert 'Traceback' not in err, err

@pytest.mark.parametrize('sig', [signal.SIGTERM, signal.SIGINT], ids=['sigterm', 'ctrl-c'])
def test_stopped_while_meta_training_leaves_no_repository(tmp_path, metahpo_cmd, sig):
    "`tune --tuner meta` stopped while it meta-trains (before any trial): one line, 143 or 130, and no new, empty repository left behind."
    db = tmp_path / 'new.db'
    p = subprocess.Popen([metahpo_cmd, 'tune', '--tuner', 'meta', '--budget', '10', '--repo', str(db), '--no-progress'], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    said = ''
    while 'meta-training the surrogate' not in said:  # printed, without a newline, as it starts
        c = p.stderr.read(1)
        assert c, f"ended before meta-training: {said}"
        said += c
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    err = said + err
    assert p.returncode == (143 if sig == signal.SIGTERM else 130), (p.returncode, err)
    how = 'stopped by SIGTERM' if sig == signal.SIGTERM else 'interrupted'
    assert err.rstrip().endswith(f"{how} while meta-training, before any trial of this run: nothing was written to {db}; run the same command again to start") \
        and 'Traceback' not in err, err  # what is kept and what to do, as a stop inside the study says
    assert not db.exists(), sorted(tmp_path.iterdir())

def test_resumed_study_stopped_while_meta_training_says_its_trials_are_kept(tmp_path, metahpo_cmd):
    "A resumed `tune --tuner meta` stopped while it meta-trains: it says the study's finished trials are kept and how to resume, and keeps them."
    db = tmp_path / 'r.db'
    cmd = [metahpo_cmd, 'tune', '--tuner', 'meta', '--repo', str(db), '--no-progress']
    r = subprocess.run([*cmd, '--budget', '3'], capture_output=True, text=True, timeout=300, cwd=tmp_path)  # the warm start fills it: no meta-training
    assert r.returncode == 0 and 'meta-training the surrogate' not in r.stderr, r.stderr
    p = subprocess.Popen([*cmd, '--budget', '10'], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    said = ''
    while 'meta-training the surrogate' not in said:
        c = p.stderr.read(1)
        assert c, f"ended before meta-training: {said}"
        said += c
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, (p.returncode, said + err)
    assert err.rstrip().endswith(f"interrupted while meta-training, before any trial of this run: the 3 finished trial(s) of study "
                                 f"'titanic-random_forest-meta-seed0' are kept in {db}; run the same command again to resume"), said + err
    with Repository(db) as rep: assert len(rep.trials('titanic-random_forest-meta-seed0')) == 3
