"""Card readers and printers behind small interfaces: built in the hardware issue."""
