// Applies saved display preferences (elder mode, language) before first paint.
// A tiny classic script loaded synchronously in <head>: module scripts are deferred and would paint first.
(function () {
  var root = document.documentElement;
  var search = location.search;
  var modules = 'noModule' in HTMLScriptElement.prototype; // app.js can run here
  // ?elder=1 / ?elder=0 turns elder mode on or off and remembers it: a QR code at the hall's counter,
  // and the way a fresh browser (Lighthouse) opens in elder mode. The parameter then leaves the address.
  var asked = /[?&]elder=([01])(&|$)/.exec(search);
  try {
    if (asked) localStorage.setItem('mz.elder', asked[1]);
    if (localStorage.getItem('mz.elder') === '1') root.classList.add('elder');
    // English: the page stays unpainted until app.js has translated the static Chinese text, which
    // would otherwise be painted first and then move everything when replaced (app.js drops it).
    if (localStorage.getItem('mz.lang') === 'en') { root.lang = 'en'; if (modules) root.classList.add('i18n-wait'); }
  } catch (e) {
    if (asked && asked[1] === '1') root.classList.add('elder'); // storage blocked: this page only
  }
  if (asked) {
    search = search.replace(/([?&])elder=[01](&|$)/, '$1').replace(/[?&]$/, '');
    try { history.replaceState(history.state, '', location.pathname + search + location.hash); } catch (e) { /* keep it */ }
  }
  // A deep link (a hash route other than #/, a licence's /verify/ path, a shared /?q= search) must not
  // paint the static home first: CSS hides it until app.js draws the screen (route() drops the mark).
  // Only where modules run, so a browser that cannot run app.js keeps the working static home; and
  // should app.js fail to load, the home (and the Chinese text) comes back.
  // A stored session (session.js's cookie marker): the header's identity row is held open until
  // the account code draws it (app.js drops the mark once the session is known).
  // The home's strip of 我的主页 (views/page.js) keeps its place for as long as the session lasts.
  if (document.cookie.split(/;\s*/).indexOf('__Secure-hall_in=1') >= 0) root.classList.add('signed-in', 'has-page');
  var deep = /^#\/./.test(location.hash) || /^\/verify\//.test(location.pathname) || /[?&]q=[^&]/.test(search);
  if (deep && modules) root.classList.add('deep');
  addEventListener('error', function (e) {
    if (e.target && e.target.tagName === 'SCRIPT') root.classList.remove('deep', 'i18n-wait');
  }, true);
})();
