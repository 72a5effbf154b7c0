/* A web host serves 404.html at whatever address was missing, where links relative to the file would
   break; there they are pointed at the site's root. From file:// the relative links already work. */
(function () {
  "use strict";
  var box = document.querySelector(".atlas-not-found");
  if (!box || location.protocol === "file:") return;
  var root = box.getAttribute("data-site-path") || "/";
  box.querySelectorAll("a[data-site-link]").forEach(function (link) {
    link.href = root + link.getAttribute("data-site-link");
  });
})();
