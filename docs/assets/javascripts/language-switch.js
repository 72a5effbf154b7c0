/* The language switch keeps the reader's place: both languages share heading ids, so the link to the
   other language gets the id of the section being read (the address's #target if it is on screen,
   otherwise the last heading above the top of the window). */
(function () {
  "use strict";
  var HEADER = 80; // px hidden under the sticky header

  function currentSection() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      var box = target.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight) return target.id;
    }
    var found = "";
    document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
      if (heading.getBoundingClientRect().top <= HEADER + 8) found = heading.id;
    });
    return found;
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
    if (!link) return;
    var id = currentSection();
    link.href = link.href.split("#")[0] + (id ? "#" + encodeURIComponent(id) : "");
  }, true);
})();
