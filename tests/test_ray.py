"A real two-node Ray cluster on this machine: a study at concurrency 4 whose second node is killed mid-study."
import json, os, secrets, shutil, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path
import pytest

pytest.importorskip('ray')
RAY = Path(sys.executable).parent / 'ray'

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _start(args, temp, env):  # a node in a process group of its own, so that killing the group kills the node and its workers
    return subprocess.Popen([str(RAY), 'start', '--block', '--disable-usage-stats', '--node-ip-address=127.0.0.1', *args],
                            stdout=open(Path(temp) / 'out.log', 'w'), stderr=subprocess.STDOUT, start_new_session=True, env=env)

def _kill(p):
    try: os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError: pass
    p.wait(30)

# The driver: its own process, as Ray reads its token settings when it is imported. It tunes 16 grid points at concurrency 4
# (each start leaves a file naming its node) and kills the second node's process group once 4 trials are done.
DRIVER = r'''
import json, os, signal, sys, time
from pathlib import Path
import ray
from metahpo.integrations.ray import RayExecutor
from metahpo.repository import Repository, TaskRecord
from metahpo.space import get_space
from metahpo.tuners import tune
address, node_pgid, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
starts = out / 'starts'; starts.mkdir()
ray.init(address=address, log_to_driver=False, configure_logging=False)
deadline = time.time() + 90
while sum(n['Alive'] for n in ray.nodes()) < 2 or ray.available_resources().get('CPU', 0) < 4:
    assert time.time() < deadline, 'the second Ray node did not join in 90 s'
    time.sleep(1)
head = ray.get_runtime_context().get_node_id()
def key(c): return f"{c['n_estimators']}-{c['max_depth']}-{c['min_samples_split']}"
def probe(c):  # 2 s on the head, 8 s on the second node, so that trials run there while others finish on the head
    node = ray.get_runtime_context().get_node_id()
    (starts / f"{key(c)}@{node}@{time.time_ns()}").touch()
    time.sleep(2.0 if node == head else 8.0)
    return 0.7 + 0.001 * c['max_depth'] + 0.0001 * c['n_estimators'] - 0.002 * c['min_samples_split']
info = {}
def kill_second_node(study, trial):  # once 4 trials are done and a trial is running on the second node (however loaded the machine)
    if info or len(study.trials) < 4: return
    done = {key(t.config) for t in study.trials}
    if any(n.split('@')[1] != head and n.split('@')[0] not in done for n in os.listdir(starts)):
        os.killpg(node_pgid, signal.SIGKILL); info['killed_at_trial'] = len(study.trials)
space = get_space('random_forest')
st = tune(probe, space, 'grid', budget=16, metric='accuracy', repository=out / 'r.db', task=TaskRecord('probe', 'random_forest', 'tabular'),
          executor=RayExecutor(4, address=address, max_retries=3), callbacks=[kill_second_node], progress=False)
with Repository(out / 'r.db') as repo:
    rec = repo.get_study('probe-random_forest-grid-seed0')
    trials = repo.trials(rec)
    info.update(n_trials=len(trials), n_distinct=len({space.key(t.config) for t in trials}), claims=len(repo.claims(rec)),
                errors=[t.error for t in trials if not t.ok], in_study=len(st.trials))
info['starts'] = [p.name.split('@')[:2] for p in starts.iterdir()]
info['head'] = head
print('RESULT ' + json.dumps(info))
'''

def test_second_node_killed_mid_study(tmp_path):
    if not RAY.exists(): pytest.skip(f"no ray command at {RAY}")
    # `ray start` clusters require a token: one of the test's own for its nodes and its driver
    env = {**os.environ, 'RAY_USAGE_STATS_ENABLED': '0', 'RAY_AUTH_MODE': 'token', 'RAY_AUTH_TOKEN': secrets.token_hex(16)}
    port, head_tmp, node_tmp = _free_port(), tempfile.mkdtemp(prefix='rh'), tempfile.mkdtemp(prefix='rn')
    address = f'127.0.0.1:{port}'
    head = _start(['--head', f'--port={port}', '--num-cpus=2', f'--temp-dir={head_tmp}', '--include-dashboard=false'], head_tmp, env)
    node = None
    try:
        deadline = time.time() + 90
        while subprocess.run([str(RAY), 'status', f'--address={address}'], capture_output=True, env=env).returncode != 0:
            if head.poll() is not None: pytest.fail(f"the Ray head did not start: {(Path(head_tmp) / 'out.log').read_text()[-2000:]}")
            assert time.time() < deadline, 'the Ray head did not come up in 90 s'
            time.sleep(1)
        node = _start([f'--address={address}', '--num-cpus=2'], node_tmp, env)
        r = subprocess.run([sys.executable, '-c', DRIVER, address, str(node.pid), str(tmp_path)], capture_output=True, text=True,
                           env=env, timeout=240)
        line = next((l for l in r.stdout.splitlines() if l.startswith('RESULT ')), None)
        assert r.returncode == 0 and line, f"driver failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        info = json.loads(line[7:])
        print({k: v for k, v in info.items() if k != 'starts'})
        assert (info['n_trials'], info['n_distinct'], info['in_study'], info['claims']) == (16, 16, 16, 0)  # none lost, none twice
        assert all('Error' in e for e in info['errors']), info['errors']  # a trial that failed says why
        on_node = {k for k, n in info['starts'] if n != info['head']}
        rerun = {k for k, n in info['starts'] if n == info['head'] and k in on_node}
        print(f"trials started on the killed node: {len(on_node)}; run again on the head after the kill: {len(rerun)}; "
              f"recorded as failed: {len(info['errors'])}")
        assert on_node, 'no trial ran on the second node'
        assert len(rerun) + len(info['errors']) >= 1, 'no trial was running on the second node when it was killed'
        assert rerun | {k for k, n in info['starts'] if n == info['head']} >= on_node  # each interrupted trial ran again elsewhere
        assert node.poll() is not None  # the second node is gone (Ray itself notices only after its health-check timeout)
    finally:
        if node is not None: _kill(node)
        _kill(head)
        for d in (head_tmp, node_tmp): shutil.rmtree(d, ignore_errors=True)
