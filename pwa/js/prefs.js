// Applies saved display preferences (elder mode, language) before first paint.
// A tiny classic script loaded synchronously in <head>: module scripts are deferred and would paint first.
(function () {
  var root = document.documentElement;
  try {
    if (localStorage.getItem('mz.elder') === '1') root.classList.add('elder');
    if (localStorage.getItem('mz.lang') === 'en') root.lang = 'en';
  } catch (e) { /* storage blocked: keep defaults */ }
})();
