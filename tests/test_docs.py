"""The documentation site: it builds from the notebooks, and every page passes the check in a real headless browser."""
import json, re
from pathlib import Path
import pytest
from metahpo.core import MetahpoError
from metahpo.dev.docs import build_site, check_site, find_chromium, find_notebooks

ROOT = Path(__file__).resolve().parents[1]

def _browser():
    "Skip, saying why, where the check cannot run."
    exe = find_chromium()
    if not exe: pytest.skip("no Chromium on this machine (install Debian's `chromium` package or set METAHPO_CHROMIUM): browser check skipped")
    pytest.importorskip('playwright', reason="Playwright is not installed (pip install -e '.[dev]'): browser check skipped")
    return exe

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    return out, build_site(out, ROOT, progress=False)

def test_every_notebook_has_a_page(site):
    out, r = site
    nbs = find_notebooks(ROOT / 'nbs')
    assert r['pages'] == len(nbs) + 1  # the notebooks and the README as home page
    assert (out / 'index.html').exists() and (out / 'metatuner.html').exists() and (out / 'experiments' / 'benchmark.html').exists()
    html = (out / 'metatuner.html').read_text()
    assert 'id="MetaTuner"' in html and 'id="MetaTuner.ask"' in html  # the API reference of what the notebook exports
    assert len(re.findall(r'\bid="MetaTuner"', html)) == 1 and 'id="MetaTuner-chapter"' in html and 'href="#MetaTuner-chapter"' in html  # a link to the class lands on its reference, not the title
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)  # nothing loaded from the network
    index = (out / 'assets' / 'search_index.js').read_text()
    entries = json.loads(index.removeprefix('window.METAHPO_SEARCH = ').rstrip(';\n'))
    assert any(e['url'].startswith('metatuner.html') for e in entries) and len(entries) > 100
    assert max(len(e['text']) for e in entries) > 3000  # every section whole: the end of a long one is found too
    assert r['figures']['experiments/benchmark.html'] > 0  # the experiments' figures are in their pages
    bench = (out / 'experiments' / 'benchmark.html').read_text()
    assert 'class="input_area' not in bench  # an experiment page shows results; its code stays in the notebook
    assert not re.search(r'<pre>[^<]*Figure:', bench) and 'alt="Figure: ' in bench  # each caption once: under the figure, and as its alt text
    assert 'class="input_area' in html  # a chapter shows its code
    tuners = (out / 'tuners.html').read_text()
    assert '<table class="params">' in tuners and '<code>trial_timeout_s</code>' in tuners  # parameter tables from the docments
    assert 'class="source" href="https://github.com/' in tuners and 'nbs/05_tuners.ipynb"' in tuners  # a link to the source notebook
    assert 'class="pager"' in tuners and 'class="menu"' in tuners  # previous/next links; the menu button of narrow windows

def test_committed_site_is_current(site):
    "docs/ holds the built site, committed: a fresh build from the notebooks and the README is identical to it."
    out, _ = site
    built = {p.relative_to(out).as_posix(): p for p in out.rglob('*') if p.is_file() and p.name != '.site-files'}
    committed = {p.relative_to(ROOT / 'docs').as_posix(): p for p in (ROOT / 'docs').rglob('*')
                 if p.is_file() and p.name not in ('.site-files', 'README.md')}
    stale = sorted(set(built) ^ set(committed)) + sorted(f for f in set(built) & set(committed) if built[f].read_bytes() != committed[f].read_bytes())
    assert not stale, f"docs/ is stale ({len(stale)} files differ from a fresh build: {stale[:8]}): run `metahpo docs` and commit docs/"

def test_site_passes_the_browser_check(site):
    exe = _browser()
    out, _ = site
    c = check_site(out, browser=exe)
    assert c['problems'] == [], '\n'.join(c['problems'])
    assert c['pages'] >= 20 and c['links'] > 100 and c['figures'] > 0 and c['search_hits'] > 0

def test_browser_check_finds_problems(tmp_path):
    "The check can fail: a page with a broken link, a broken anchor, a missing figure, a console error and a network request."
    exe = _browser()
    (tmp_path / 'assets').mkdir()
    (tmp_path / 'index.html').write_text(
        '<html><body><main><a href="nowhere.html">x</a><a href="index.html#missing">y</a><img src="gone.png">'
        '<script>console.error("boom")</script><script src="https://cdn.example.com/lib.js"></script>'
        '<input id="search"><div id="search-results"></div></main></body></html>')
    (tmp_path / 'experiments').mkdir()
    (tmp_path / 'experiments' / 'plot.html').write_text(  # a figure that renders but does not say where its numbers come from
        '<html><body><main><img alt="a plot" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="></main></body></html>')
    (tmp_path / 'wide.html').write_text(  # what a reader would see wrong: too wide, a clipped table, an image without alt text, a warning
        '<html><body><main><div style="width:1600px">a wide block</div>'
        '<table style="display:block;overflow:hidden;width:200px"><tr><td style="white-space:nowrap">' + 'a long cell ' * 40 + '</td></tr></table>'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=">'
        '<script>console.warn("careful")</script></main></body></html>')
    shots = tmp_path.parent / (tmp_path.name + '-shots')
    r = check_site(tmp_path, browser=exe, screenshots=shots)
    problems = '\n'.join(r['problems'])
    assert (shots / '800' / 'wide.png').is_file() and (shots / '1400' / 'index.png').is_file()
    assert 'figure does not render: data:' not in problems, problems  # the good image passes
    for expected in ('experiments/plot.html: figure does not say its profile, tasks, seeds and version', 'broken link to nowhere.html', 'broken anchor index.html#missing', 'figure does not render',
                     'console error: boom', 'needs the network: https://cdn.example.com/lib.js', "search: no result",
                     'wide.html: 1608 px wide at a 1400 px window', 'wide.html: 1608 px wide at a 800 px window', 'wide.html: cut off at 1400 px: table clips',
                     'wide.html: image without alt text: data:image/png', 'wide.html: console warning: careful'):
        assert expected in problems, problems

def test_build_errors_name_the_problem(tmp_path):
    with pytest.raises(MetahpoError, match='no notebooks at'): build_site(tmp_path / 'out', tmp_path, progress=False)
    with pytest.raises(MetahpoError, match='no pages in'): check_site(tmp_path)
