// Light progressive enhancement: every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Filters apply as soon as a choice changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Ask before withdrawing a filing.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Show only the fields of the chosen kind of filing.
  document.querySelectorAll("select[data-recurrence]").forEach((select) => {
    const show = () => {
      select.form.querySelectorAll("fieldset[data-for]").forEach((set) => {
        set.hidden = !set.dataset.for.split(" ").includes(select.value);
      });
      const weekday = select.form.querySelector("select[name=weekday]");
      if (weekday) weekday.disabled = select.value !== "weekly";
    };
    select.addEventListener("change", show);
    show();
  });
  // A long report: say it is being made.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button");
      button.disabled = true;
      button.textContent = form.dataset.busy;
    });
  });
});
