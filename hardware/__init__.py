"""Card readers (PC/SC) and printers (ESC/POS) behind small interfaces; no box services are imported here."""
