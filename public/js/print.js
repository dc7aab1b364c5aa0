// Print view: the "Imprimir" button opens the browser's print dialog.
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
