/* Tap or click a figure to open it in a zoom-and-pan lightbox (PhotoSwipe, vendored). It opens at the
   scale at which the figure's smallest label is at least 11 px (or fits the screen, if that is larger);
   a tap toggles to the whole figure and back. Without JavaScript the link opens the SVG itself. */
(function () {
  "use strict";
  if (!window.PhotoSwipeLightbox || !window.PhotoSwipe) return;
  var LEGIBLE_PX = 11;
  var links = document.querySelectorAll("a.atlas-figure-link");
  if (!links.length) return;

  links.forEach(function (link) {
    var smallest = parseFloat(link.getAttribute("data-smallest-label")) || 12;
    function legible(zoomLevel) { return Math.max(zoomLevel.fit, LEGIBLE_PX / smallest); }
    var lightbox = new window.PhotoSwipeLightbox({
      gallery: link,
      pswpModule: window.PhotoSwipe,
      initialZoomLevel: function (zoomLevel) { return legible(zoomLevel); },
      secondaryZoomLevel: "fit",
      maxZoomLevel: function (zoomLevel) { return Math.max(4, legible(zoomLevel) * 2); },
      imageClickAction: "zoom",
      tapAction: "zoom",
      bgOpacity: 0.9,
      showHideAnimationType: "none",
    });
    lightbox.addFilter("itemData", function (itemData) {
      itemData.alt = link.querySelector("img").alt;
      return itemData;
    });
    lightbox.init();
  });
})();
