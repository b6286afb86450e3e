// The issue record page's print button: the browser's dialog prints it or saves it as PDF.
document.getElementById("print-record")?.addEventListener("click", () => window.print());
