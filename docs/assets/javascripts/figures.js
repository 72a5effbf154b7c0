/* Tap or click a figure to open it in a zoom-and-pan lightbox (PhotoSwipe 5.4.4, vendored). It opens at the
   scale at which the figure's smallest label is at least 11 px (or fits the screen, if that is larger);
   a tap toggles to the whole figure and back. PhotoSwipe and its stylesheet load on the first tap, not
   with the page (most readers never enlarge a figure). Without JavaScript the link opens the SVG itself;
   so does a click with a modifier key (new tab or window). */
(function () {
  "use strict";
  var LEGIBLE_PX = 11;
  var links = document.querySelectorAll("a.atlas-figure-link");
  if (!links.length) return;
  var vendor = document.currentScript.src.replace(/javascripts\/figures\.js(\?.*)?$/, "vendor/photoswipe-5.4.4/");
  var loading = null;

  function photoSwipe() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = vendor + "photoswipe.css";
        document.head.appendChild(style);
        var script = document.createElement("script");
        script.src = vendor + "photoswipe.umd.min.js";
        script.onload = function () { resolve(window.PhotoSwipe); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function open(link, PhotoSwipe) {
    var smallest = parseFloat(link.getAttribute("data-smallest-label")) || 12;
    function legible(zoomLevel) { return Math.max(zoomLevel.fit, LEGIBLE_PX / smallest); }
    new PhotoSwipe({
      dataSource: [{
        src: link.href,
        width: parseFloat(link.getAttribute("data-pswp-width")),
        height: parseFloat(link.getAttribute("data-pswp-height")),
        alt: link.querySelector("img").alt,
      }],
      initialZoomLevel: function (zoomLevel) { return legible(zoomLevel); },
      secondaryZoomLevel: "fit",
      maxZoomLevel: function (zoomLevel) { return Math.max(4, legible(zoomLevel) * 2); },
      imageClickAction: "zoom",
      tapAction: "zoom",
      bgOpacity: 0.9,
      showHideAnimationType: "none",
      returnFocus: true,
    }).init();
  }

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      // if PhotoSwipe cannot load, the link does what it does without JavaScript
      photoSwipe().then(function (PhotoSwipe) { open(link, PhotoSwipe); },
                        function () { window.location.href = link.href; });
    });
  });
})();
