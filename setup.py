from configparser import ConfigParser
import re, setuptools, shlex

# nbdev's template setup.py, without pkg_resources (current setuptools no longer ships it).
config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o:cfg[o] for o in cfg_keys}

licenses = {
    'apache2': 'Apache-2.0',  # SPDX expressions (setuptools deprecates the licence classifiers nbdev's template added)
    'mit': 'MIT',
}
statuses = [ '1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive' ]
py_versions = '3.9 3.10 3.11 3.12 3.13'.split()

def reqs(key): return shlex.split(cfg.get(key, '').strip())

requirements = reqs('requirements')
dl_requirements, plot_requirements, bench_requirements = reqs('dl_requirements'), reqs('plot_requirements'), reqs('bench_requirements')
ray_requirements, optuna_requirements = reqs('ray_requirements'), reqs('optuna_requirements')
dev_requirements = dl_requirements + plot_requirements + bench_requirements + ray_requirements + optuna_requirements + reqs('dev_requirements')
min_python = cfg['min_python']
lic = licenses[cfg['license']]

_LINK = re.compile(r'(!?)\[((?:[^\[\]]|!?\[[^\]]*\]\([^)]*\))*)\]\(\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?)\s*\)')  # [label](target "title"), a label may hold an image
_REF = re.compile(r'^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*)<?([^\s>]+)>?([ \t].*)?$', re.M)  # [name]: target "title", one line
_CODE = re.compile(r'(^```.*?^```[^\n]*$|`[^`\n]*`)', re.M | re.S)  # fenced blocks and code spans: left as they are
_IMAGE = re.compile(r'\.(png|jpe?g|gif|svg|webp)$', re.I)

def absolute_links(text:str, git_url:str, branch:str) -> str:
    "Markdown with its relative link targets made absolute in the repository: images (and reference targets that are images) to raw files, other links to the repository's pages; URLs, anchors, absolute paths and code as they are."
    base = f"{git_url.rstrip('/')}/{{}}/{branch}/"
    def target(t:str, raw:bool) -> str:
        if re.match(r'[a-z][a-z0-9+.-]*:|#|/', t, re.I): return t  # a URL (any case), an anchor or an absolute path
        return base.format('raw' if raw else 'blob') + t
    def link(m):
        bang, label, t, title = m.groups()
        return f"{bang}[{_LINK.sub(link, label)}]({target(t, bool(bang))}{title})"  # an image inside a link's label too
    def ref(m): return f"{m[1]}{target(m[2], bool(_IMAGE.search(m[2])))}{m[3] or ''}"
    parts = _CODE.split(text)  # odd parts are code
    return ''.join(x if i % 2 else _REF.sub(ref, _LINK.sub(link, x)) for i, x in enumerate(parts))

def long_description(path='README.md') -> str:
    "README for the package index, its relative links made absolute (an index page has no repository beside it)."
    return absolute_links(open(path, encoding='utf-8').read(), cfg['git_url'], cfg['branch'])

setuptools.setup(
    name = cfg['lib_name'],
    license = lic,
    classifiers = [
        'Development Status :: ' + statuses[int(cfg['status']) - 1],  # status 2 is '2 - Pre-Alpha' (nbdev's template said '3 - Alpha')
        'Intended Audience :: ' + cfg['audience'].title(),
        'Natural Language :: ' + cfg['language'].title(),
    ] + ['Programming Language :: Python :: '+o for o in py_versions[py_versions.index(min_python):]],
    url = cfg['git_url'],
    packages = setuptools.find_packages(include=['metahpo', 'metahpo.*']) + ['metahpo.data'],  # data files, no module: named, as setuptools asks
    include_package_data = True,
    package_data = {'metahpo': ['data/*']},
    install_requires = requirements,
    extras_require = {'dl': dl_requirements, 'plot': plot_requirements, 'bench': bench_requirements,
                      'ray': ray_requirements, 'optuna': optuna_requirements, 'dev': dev_requirements},
    dependency_links = cfg.get('dep_links','').split(),
    python_requires  = '>=' + cfg['min_python'],
    long_description = long_description(),
    long_description_content_type = 'text/markdown',
    zip_safe = False,
    entry_points = {
        'console_scripts': cfg.get('console_scripts','').split(),
        'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']
    },
    **setup_cfg)
