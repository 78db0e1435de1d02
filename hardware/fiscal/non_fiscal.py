"""The non-fiscal driver: where no fiscal register is required, the box's own receipt is the receipt.

It books nothing and prints nothing itself: the checkout prints its receipt
and reports through the print queue (``prints_receipt`` is False).
"""
from hardware.fiscal import FiscalReceipt, FiscalResult, FiscalStatus


class NonFiscalDevice:
    """Accepts every receipt; the box's receipt printer does the printing."""

    prints_receipt = False

    def register(self, receipt: FiscalReceipt) -> FiscalResult:
        """Nothing to book: the receipt is the box's own."""
        return FiscalResult(fiscal=False)

    def x_report(self) -> None:
        """The X report is the box's own, printed through the queue."""

    def z_report(self) -> None:
        """The Z report is the box's own, printed through the queue."""

    def status(self) -> FiscalStatus:
        """Always ready."""
        return FiscalStatus(True, "non-fiscal", "non_fiscal")

    def last_document(self) -> None:
        """No numbers: nothing is booked, so nothing can be left half-recorded."""
        return None
