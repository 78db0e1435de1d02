"""A tiny HTML tree over the standard library's parser, enough to find a field and its error."""
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return " ".join(" ".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag=None, cls=None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    def closest(self, cls) -> "Node":
        node = self
        while node is not None and cls not in node.classes:
            node = node.parent
        assert node is not None, f"no ancestor with class {cls}"
        return node


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def html(response) -> Node:
    builder = TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def field_of(doc: Node, name: str, tag: str = "input") -> Node:
    """The .field wrapper around the control called ``name``."""
    return doc.find(tag, name=name).closest("field")


def field_error(doc: Node, name: str, tag: str = "input") -> str | None:
    field = field_of(doc, name, tag)
    errors = field.find_all(cls="error")
    return errors[0].text() if errors and "has-error" in field.classes else None


def csrf_of(doc: Node) -> str:
    return doc.find("input", name="csrf_token").attrs["value"]


def table_rows(doc: Node, cls: str) -> list[Node]:
    """The body rows of the first table with class ``cls`` (none if there is no such table)."""
    tables = doc.find_all("table", cls=cls)
    return [row for body in tables[0].find_all("tbody") for row in body.find_all("tr")] if tables else []
