/* The hreflang alternates in <head> are absolute addresses on the published site (for search engines).
   The theme fetches sitemap.xml next to each alternate; on a local server or from file:// that would be a
   request to the published host, so there the alternates are removed before the theme reads them. */
(function () {
  "use strict";
  document.querySelectorAll("link[rel=alternate][hreflang]").forEach(function (link) {
    if (location.protocol === "file:" || new URL(link.href).origin !== location.origin) link.remove();
  });
})();
