// The site's slugs keep a version's parts apart: "Qwen 3.5" pre-fills "qwen-3-5" (as qwen-2-5),
// where Django's URLify would drop the dot and give "qwen-35".
"use strict";
(function () {
  var urlify = window.URLify;
  if (typeof urlify !== "function") {
    return;
  }
  window.URLify = function (text, numChars, allowUnicode) {
    return urlify(String(text).replace(/[.,]/g, " "), numChars, allowUnicode);
  };
})();
