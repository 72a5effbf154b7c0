/* Filter and sort the full trials table (trials page only). Sorting is tablesort's (vendored); this file only
   shows the controls, hides rows that do not match the chosen filters and reports how many are shown.
   Without JavaScript the controls stay hidden and the whole table is there. */
(function () {
  "use strict";
  var table = document.querySelector("table.atlas-trials--full");
  var form = document.querySelector("form.atlas-filter");
  if (!table || !form || typeof Tablesort !== "function") return;

  var sorter = new Tablesort(table);
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var original = rows.slice();
  var filters = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var sortBy = form.querySelector("select[data-sort-by]");
  var status = form.querySelector(".atlas-filter__status");

  function matches(row) {
    return filters.every(function (select) {
      if (!select.value) return true;
      var values = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    });
  }

  function filter() {
    var shown = 0;
    rows.forEach(function (row) {
      var keep = matches(row);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", shown).replace("{total}", rows.length);
  }

  function sort() {
    var key = sortBy.value;
    var header = key && table.querySelector('th[data-sort-key="' + key + '"]');
    if (!header) {
      original.forEach(function (row) { table.tBodies[0].appendChild(row); });
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
      return;
    }
    // largest, newest or best first: tablesort turns a column marked ascending to descending
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", "ascending");
    sorter.sortTable(header);
    sorter.current = header;
  }

  form.hidden = false;
  form.addEventListener("change", function (event) {
    if (event.target === sortBy) sort(); else filter();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { sort(); filter(); }, 0);
  });
  filter();
})();
