
(function () {
  var box = document.getElementById('search'), out = document.getElementById('search-results');
  var idx = window.METAHPO_SEARCH || [], root = window.METAHPO_ROOT || '';
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]; }); }
  function run() {
    var q = box.value.toLowerCase().trim(), terms = q.split(/\s+/).filter(Boolean);
    if (!terms.length) { out.hidden = true; out.innerHTML = ''; return; }
    var hits = [];
    idx.forEach(function (d) {
      var t = d.title.toLowerCase(), x = d.text.toLowerCase(), s = 0;
      for (var i = 0; i < terms.length; i++) {
        var a = t.indexOf(terms[i]) >= 0, b = x.indexOf(terms[i]) >= 0;
        if (!a && !b) return;
        s += (a ? 10 : 0) + (b ? 1 : 0);
      }
      hits.push([s, d]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    out.innerHTML = hits.length ? hits.slice(0, 25).map(function (h) {
      var d = h[1], i = d.text.toLowerCase().indexOf(terms[0]), from = Math.max(0, i - 40);
      var snip = (from ? '…' : '') + d.text.slice(from, from + 120) + '…';
      return '<a href="' + root + d.url + '">' + esc(d.page + (d.title && d.title !== d.page ? ' › ' + d.title : '')) +
             '<small>' + esc(snip) + '</small></a>';
    }).join('') : '<em>No page mentions “' + esc(q) + '”.</em>';
    out.hidden = false;
  }
  if (box) { box.addEventListener('input', run); var q = new URLSearchParams(location.search).get('q'); if (q) { box.value = q; run(); } }
  var menu = document.getElementById('menu');
  if (menu) menu.addEventListener('click', function () {
    var open = document.body.classList.toggle('nav-open'); menu.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
})();
