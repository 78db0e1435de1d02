"""ESC/POS printing: text encoding per code page, rendering of documents, printer connections."""
