"""Administrator web interface of the box: server-rendered pages in ru/uz/en."""
