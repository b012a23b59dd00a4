// Glossary pop-ups in essays show on hover and keyboard focus (CSS); Escape
// hides the one that is open without moving focus (WCAG 1.4.13).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (term) {
    term.classList.add("dismissed");
    term.addEventListener("mouseleave", function () { term.classList.remove("dismissed"); }, { once: true });
    term.addEventListener("focusout", function () { term.classList.remove("dismissed"); }, { once: true });
  });
});
