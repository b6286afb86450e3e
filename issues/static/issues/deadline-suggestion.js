/*
 * The deadline a policy proposes follows the category and priority chosen.
 *
 * The date input carries every proposal (data-deadline-suggestions: "category|priority" →
 * {date, help}, dates in ISO form, as a date input needs whatever the language) and the names of
 * the two fields it follows (data-deadline-from). A date the user chose is theirs: only an empty
 * field, or one still holding the last proposal, takes the new one. The help under the field
 * always says what the policy means, e.g. "5 个工作日，截至 2026年12月11日".
 */
(function () {
  "use strict";

  for (const input of document.querySelectorAll("input[data-deadline-suggestions]")) {
    const proposals = JSON.parse(input.dataset.deadlineSuggestions);
    const [categoryName, priorityName] = input.dataset.deadlineFrom.split(" ");
    const category = input.form && input.form.elements.namedItem(categoryName);
    const priority = input.form && input.form.elements.namedItem(priorityName);
    if (!category || !priority) continue;
    const help = input.parentElement.querySelector(".form-text");
    const current = () => proposals[`${category.value}|${priority.value}`];
    let proposed = (current() || {}).date || "";

    const follow = () => {
      const next = current();
      if (!next) return;
      if (input.value === "" || input.value === proposed) {
        input.value = next.date;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      proposed = next.date;
      if (help) help.textContent = next.help;
    };
    category.addEventListener("change", follow);
    priority.addEventListener("change", follow);
  }
})();
