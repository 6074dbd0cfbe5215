"The README's two set-up commands are the ones CI runs."
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def readme_commands():
    block = re.search(r"<!-- setup-commands -->\s*```(?:bash|sh)?\n(.*?)```", (ROOT / 'README.md').read_text(), re.S)
    assert block, "README.md lacks the setup-commands block"
    return [l.strip() for l in block[1].splitlines() if l.strip() and not l.strip().startswith('#')]

def test_two_commands_and_ci_runs_them():
    cmds = readme_commands()
    assert len(cmds) == 2, cmds
    ci = (ROOT / '.ci' / 'run').read_text()
    assert 'readme_command 2' in ci and 'readme_command 1' in ci
    assert 'pytest' in cmds[1] and 'metahpo tune' in cmds[0]

_UNITS = 'zero one two three four five six seven eight nine'.split()

def _words(n:int) -> str:
    "20..49 in words, as the pages write them ('twenty-five')."
    tens = {2: 'twenty', 3: 'thirty', 4: 'forty'}[n // 10]
    return tens + ('' if n % 10 == 0 else '-' + _UNITS[n % 10])

def test_the_pages_count_the_design_rounds_the_design_page_holds():
    "The README, the guide and the benchmark page say how many design rounds ran as the design page's own list numbers them (the README said twenty-four after the twenty-fifth)."
    md = lambda p: '\n'.join(''.join(c['source']) for c in json.loads((ROOT / p).read_text())['cells'] if c['cell_type'] == 'markdown')
    design = md('nbs/experiments/design.ipynb')
    first = design.split('\n## ')[1]  # "The question, and the answer": the rounds, numbered in the order they ran
    n = max(int(i) for i in re.findall(r'^(\d+)\. \*\*', first, re.M))
    assert re.search(rf'\b{_words(n)} rounds, in the order they ran', first, re.I), f"the design page's own count is not {n}"
    for p, text in (('README.md', (ROOT / 'README.md').read_text()), ('nbs/guide/usage.ipynb', md('nbs/guide/usage.ipynb')),
                    ('nbs/experiments/benchmark.ipynb', md('nbs/experiments/benchmark.ipynb'))):
        said = re.findall(r'\b((?:twenty|thirty|forty)(?:-[a-z]+)?) (?:design )?rounds\b', text, re.I)
        assert said and {s.lower() for s in said} == {_words(n)}, (p, said, n)

def _setup_globals() -> dict:
    "setup.py's functions, read without building anything (its `setuptools.setup` call made a no-op)."
    import os, runpy, setuptools
    seen, real, cwd = {}, setuptools.setup, Path.cwd()
    setuptools.setup = lambda **kw: seen.update(kw)
    try: os.chdir(ROOT); g = runpy.run_path(str(ROOT / 'setup.py'))
    finally: setuptools.setup = real; os.chdir(cwd)
    return {**g, 'setup_kwargs': seen}

def test_package_index_page_links_absolute():
    "The README as setup.py hands it to a package index: relative images point to raw files and relative links to the repository's pages (an index page has no repository beside it); URLs, anchors and code stay as they are."
    g = _setup_globals()
    f = lambda t: g['absolute_links'](t, 'https://github.com/o/r', 'main')
    assert f('![fig](results/a.png)') == '![fig](https://github.com/o/r/raw/main/results/a.png)'
    assert f('![f](a.png "T")') == '![f](https://github.com/o/r/raw/main/a.png "T")'
    assert f('see [Guide](nbs/guide/usage.ipynb).') == 'see [Guide](https://github.com/o/r/blob/main/nbs/guide/usage.ipynb).'
    assert f('[![CI](badge.svg)](nbs/x.ipynb)') == '[![CI](https://github.com/o/r/raw/main/badge.svg)](https://github.com/o/r/blob/main/nbs/x.ipynb)'
    assert f('[1]: docs/a.md\n[2]: img/a.PNG "t"') == '[1]: https://github.com/o/r/blob/main/docs/a.md\n[2]: https://github.com/o/r/raw/main/img/a.PNG "t"'
    for same in ('[nbdev](https://nbdev.fast.ai)', '[u](HTTPS://x.org)', '[a](#sec)', '[r](/abs/path)', '`f[0](x)`', '```\n[a](b)\n```'):
        assert f(same) == same, (same, f(same))
    text = g['setup_kwargs']['long_description']  # the README itself
    links = re.findall(r'(!?)\[[^\]]*\]\(([^)\s]+)\)', text)
    assert links and all(re.match(r'https?://', t) for _, t in links), [t for _, t in links if not t.startswith('http')]
    assert any(bang and '/raw/' in t and t.endswith('regret.png') for bang, t in links)  # the README's figure, from the raw file
