"""Price tags and barcode labels for products on the label printer (IN9)."""

from appliance.domain.label_layout import ProductLabel, product_label
from appliance.domain.print_document import DocumentError
from appliance.services import print_queue
from appliance.services.audit import audit
from appliance.services.context import Actor, SalonContext
from appliance.services.errors import InvalidInput
from appliance.services.lookup import fetch
from appliance.storage.models.printing import PrintJob
from appliance.storage.models.stock import Product

MAX_COPIES = 100
PRICES = {"retail": "retail_price", "staff": "staff_price"}


def label_for(product: Product, price: str = "retail") -> ProductLabel:
    """What a product's label shows: name, size (e.g. "1000 ml"), price, barcode (or SKU)."""
    amount = getattr(product, PRICES[price])
    size = "" if product.unit == "pcs" and product.pack_size == 1 else f"{product.pack_size} {product.unit}"
    return ProductLabel(name=product.name, price=amount if amount is not None else product.retail_price,
                        currency=SalonContext.load().currency, code=product.barcode or product.sku or "", unit=size)


def print_labels(actor: Actor, product_id: str, copies: int = 1, price: str = "retail") -> list[PrintJob]:
    """Queue ``copies`` labels of a product on the "label" printer (NotFound when there is none)."""
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidInput("copies", f"must be 1 to {MAX_COPIES}")
    if price not in PRICES:
        raise InvalidInput("price", "must be retail or staff")
    product = fetch(Product, product_id)
    try:
        document = product_label(label_for(product, price))
    except DocumentError as exc:
        raise InvalidInput("barcode", str(exc)) from None
    jobs = [print_queue.enqueue(actor, "label", document, "label", f"{product.name} ({n + 1}/{copies})")
            for n in range(copies)]
    audit(actor, "product.labels_printed", "product", product.id, {"copies": copies, "price": price})
    return jobs
