"""One module per `kg` command; each is a thin click wrapper over the Python API."""
