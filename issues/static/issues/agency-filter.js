// A type-to-filter box above each long agency list (select[data-filterable]): typing hides the
// options that do not match. Each word typed must be part of the option's text or of one of its
// search keys (data-search: short and common names, pinyin initials; agencies/names.py), so
// 住建, 市住建局 and zjj all find the housing bureau. Selected options always stay visible.
(function () {
  document.querySelectorAll("select[data-filterable]").forEach((select) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.filterPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", () => {
      const words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("option").forEach((option) => {
        const keys = `${option.text}|${option.dataset.search || ""}`.toLowerCase();
        option.hidden = words.length > 0 && !option.selected && !words.every((word) => keys.includes(word));
      });
      select.querySelectorAll("optgroup").forEach((group) => {
        group.hidden = ![...group.children].some((option) => !option.hidden);
      });
    });
  });
})();
