// Shows date fields or date-time fields depending on "all day".
const allDay = document.getElementById("id_all_day");
const timed = ["id_start", "id_end"];
const daily = ["id_start_date", "id_end_date"];

function toggle() {
  if (!allDay) return;
  for (const id of timed) {
    const field = document.getElementById(id)?.closest(".field");
    if (field) field.hidden = allDay.checked;
  }
  for (const id of daily) {
    const field = document.getElementById(id)?.closest(".field");
    if (field) field.hidden = !allDay.checked;
  }
}
allDay?.addEventListener("change", toggle);
toggle();
