"""All models in dependency order, for migrations checks and tooling."""
from appliance.storage.models.access import ApiToken, Device
from appliance.storage.models.base import AuditLog, ChangeLog, SyncState
from appliance.storage.models.bookings import (
    Booking, BookingEvent, BookingItem, BookingSeries, GroupAttendee, GroupEvent, OnlineRequest,
)
from appliance.storage.models.cash import CashMovement, CashRegister, CashShift, FiscalIntent
from appliance.storage.models.catalogue import (
    Equipment, Room, Salon, Service, ServiceCategory, Staff, StaffService,
)
from appliance.storage.models.checkout import (
    CertificateEntry, DepositEntry, GiftCertificate, Sale, SaleLine, SalePayment, SaleTip,
)
from appliance.storage.models.clients import Client
from appliance.storage.models.printing import DeviceState, Printer, PrintJob
from appliance.storage.models.stock import CostCardLine, Product, Supplier, SupplierPayment, Warehouse
from appliance.storage.models.stock_ledger import (
    StockBalance, StockDocument, StockLot, StockMovement, StocktakeLine,
)
from appliance.storage.models.schedules import Absence, ScheduleDay, TimeBlock, WorkPattern
from appliance.storage.models.time_clock import Card, CardTap, TimePunch

ALL_MODELS = (
    ChangeLog, AuditLog, SyncState,
    Salon, Staff, ServiceCategory, Service, StaffService, Room, Equipment,
    Client,
    WorkPattern, ScheduleDay, Absence, TimeBlock,
    BookingSeries, Booking, BookingItem, BookingEvent, GroupEvent, GroupAttendee, OnlineRequest,
    Device, ApiToken,
    Printer, PrintJob, DeviceState,
    Card, TimePunch, CardTap,
    CashRegister, CashShift, CashMovement, FiscalIntent,
    Sale, SaleLine, SaleTip, GiftCertificate, SalePayment, CertificateEntry, DepositEntry,
    Product, Warehouse, Supplier, SupplierPayment, CostCardLine,
    StockDocument, StockLot, StockMovement, StocktakeLine, StockBalance,
)
