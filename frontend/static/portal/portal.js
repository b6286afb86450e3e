// What every page of the portal does in the browser, beyond Bootstrap and the live updates.
(function () {
  "use strict";

  // The header's act-as switch: another agency means another board, other ledgers and other
  // rights on every issue, so the portal asks before it switches. Saying no leaves it as it was.
  const actAs = document.getElementById("act-as");
  if (actAs) {
    let acting = actAs.value;
    actAs.addEventListener("change", function () {
      const chosen = actAs.options[actAs.selectedIndex].textContent.trim();
      if (window.confirm(actAs.dataset.confirm.replace("%(agency)s", chosen))) {
        acting = actAs.value;
        actAs.form.submit();
      } else {
        actAs.value = acting;
      }
    });
  }

  // A field the server marked invalid loses its red mark and its message as soon as the user
  // changes it: the message was about the old value. The server checks the new one on sending.
  function clearInvalid(event) {
    const field = event.target;
    if (!(field instanceof Element) || !field.classList.contains("is-invalid")) {
      return;
    }
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    const messages = new Set();
    for (const id of (field.getAttribute("aria-describedby") || "").split(/\s+/)) {
      const described = id && document.getElementById(id);
      if (described && described.classList.contains("invalid-feedback")) {
        messages.add(described);
      }
    }
    // Messages printed under the field without an id: its later siblings, up to the next field.
    for (let next = field.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.matches("input, select, textarea")) {
        break;
      }
      if (next.classList.contains("invalid-feedback")) {
        messages.add(next);
      }
    }
    messages.forEach(function (message) {
      message.classList.remove("d-block");  // Bootstrap's d-block would outweigh [hidden]
      message.hidden = true;
    });
  }
  document.addEventListener("input", clearInvalid, true);
  document.addEventListener("change", clearInvalid, true);

  // A field with data-max-chars (the query box) is checked before its form is sent: a text
  // over the limit would make a web address longer than the server reads, and cutting it
  // short as maxlength does would silently search for something else. The field says why.
  document.addEventListener("submit", function (event) {
    for (const field of event.target.querySelectorAll("[data-max-chars]")) {
      if (field.value.length <= Number(field.dataset.maxChars)) {
        continue;
      }
      event.preventDefault();
      let message = document.getElementById(field.id + "-too-long");
      if (!message) {
        message = document.createElement("div");
        message.id = field.id + "-too-long";
        message.className = "invalid-feedback d-block";
        message.setAttribute("role", "alert");
        (field.closest(".input-group") || field).after(message);
      }
      message.textContent = field.dataset.tooLong.replace("%(count)s", String(field.value.length));
      message.classList.add("d-block");
      message.hidden = false;
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (!described.includes(message.id)) {
        field.setAttribute("aria-describedby", described.concat(message.id).join(" "));
      }
      field.focus();
      return;
    }
  }, true);
})();
