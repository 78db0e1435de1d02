"""Rules for a printer's settings: roles, connection kinds, addresses, paper and code pages."""

ROLES = ("receipt", "label")
CONNECTION_KINDS = ("network", "usb", "serial", "file")
PAPER_WIDTHS = (58, 80)
CODE_PAGE_CHOICES = ("auto", "CP1251", "CP866")
DEFAULT_PORT = 9100
ADDRESS_EXAMPLES = {"network": "192.168.1.50:9100", "usb": "04b8:0202", "serial": "/dev/ttyUSB0@9600",
                    "file": "/dev/usb/lp0"}


def parse_address(kind: str, address: str) -> dict:
    """The parts of a printer's address; ValueError saying what was expected.

    network ``host[:port]`` (port 9100 by default), usb ``vendor:product`` in
    hex, serial ``device[@baud]`` (9600 by default), file an absolute path.
    """
    address = address.strip()
    if kind not in CONNECTION_KINDS:
        raise ValueError(f"connection kind must be one of {CONNECTION_KINDS}")
    expected = ValueError(f"expected an address like {ADDRESS_EXAMPLES[kind]}")
    if kind == "network":
        host, _, port = address.rpartition(":") if ":" in address else (address, "", str(DEFAULT_PORT))
        if not host or " " in host or not port.isdigit() or not 0 < int(port) < 65536:
            raise expected
        return {"host": host, "port": int(port)}
    if kind == "usb":
        vendor, _, product = address.partition(":")
        try:
            ids = int(vendor, 16), int(product, 16)
        except ValueError:
            raise expected from None
        if not all(0 < i <= 0xFFFF for i in ids):
            raise expected
        return {"vendor": ids[0], "product": ids[1]}
    if kind == "serial":
        device, _, baud = address.partition("@")
        if not device.startswith("/") or " " in device or (baud and not baud.isdigit()):
            raise expected
        return {"device": device, "baud": int(baud or 9600)}
    if not address.startswith("/") or " " in address:
        raise expected
    return {"path": address}
