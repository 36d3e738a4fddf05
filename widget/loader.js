// Classic-script loader for <booking-widget> and <booking-console>. Many CMSs (and tag managers)
// inject `<script src>` without type="module"; widget.js is an ES module (import.meta, import())
// and fails there with "Cannot use 'import.meta' outside a module". This file is a plain script
// that adds the module script for the page:
//   <script src="https://booking.example.com/widget-loader.js" async></script>
//   <script src="..." data-elements="widget console"></script>   (also <booking-console>)
// The API serves it with the current version's URLs and SRI hashes filled in below (so the
// modules it adds are pinned and verified); elsewhere (the npm package's dist/browser/) the
// modules beside this file are loaded. A nonce on this tag is copied to the module script, so a
// page with a nonce-based CSP needs nothing else. ES5 on purpose: it must parse everywhere.
(function () {
  'use strict';
  var files = /*BW_FILES*/ { widget: { src: 'widget.js' }, console: { src: 'console.js' } } /*BW_FILES_END*/;
  var script = document.currentScript;
  if (!script || !script.src) return; // inline copies cannot know where the modules are
  var wanted = (script.getAttribute('data-elements') || 'widget').split(/[\s,]+/);
  for (var i = 0; i < wanted.length; i++) {
    var file = files[wanted[i]];
    if (!file) continue;
    var src = new URL(file.src, script.src).href;
    if (document.querySelector('script[type="module"][src="' + src + '"]')) continue; // already on the page
    var s = document.createElement('script');
    s.type = 'module';
    s.src = src;
    s.crossOrigin = 'anonymous';
    if (file.integrity) s.integrity = file.integrity;
    if (script.nonce) s.nonce = script.nonce;
    document.head.appendChild(s);
  }
})();
