// A type-to-filter box above each long agency list (select[data-filterable]): typing part of a
// name hides the options that do not contain it. Selected options always stay visible.
(function () {
  document.querySelectorAll("select[data-filterable]").forEach((select) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.filterPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", () => {
      const query = box.value.trim().toLowerCase();
      select.querySelectorAll("option").forEach((option) => {
        option.hidden = Boolean(query) && !option.selected && !option.text.toLowerCase().includes(query);
      });
      select.querySelectorAll("optgroup").forEach((group) => {
        group.hidden = ![...group.children].some((option) => !option.hidden);
      });
    });
  });
})();
