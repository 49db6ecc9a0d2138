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
  // Sortable tables: click a heading to sort by it (numbers as numbers), again to reverse.
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, column) => {
      th.classList.add("sorts");
      th.addEventListener("click", () => {
        const body = table.tBodies[0];
        const down = th.dataset.order !== "asc";
        th.dataset.order = down ? "asc" : "desc";
        const key = (row) => {
          const text = row.cells[column].textContent.trim();
          const number = parseFloat(text.replace("%", ""));
          return Number.isNaN(number) ? text : number;
        };
        const rows = Array.from(body.rows).sort((a, b) => {
          const x = key(a), y = key(b);
          const order = typeof x === "number" && typeof y === "number"
            ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return down ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
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
