"""Namespace IRIs and entity class names as plain strings.

Free of rdflib on purpose: fast commands (`kg lookup`, `kg query`) name vocabulary terms through
these without paying for importing it. `schema.vocab` builds its rdflib namespaces from them.
"""

PKG_NS = "https://w3id.org/paperkg/ns#"
SDO_NS = "https://schema.org/"
FABIO_NS = "http://purl.org/spar/fabio/"
PRISM_NS = "http://prismstandard.org/namespaces/basic/2.0/"
OA_NS = "http://www.w3.org/ns/oa#"
DCTERMS_NS = "http://purl.org/dc/terms/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

# The six entity classes (local names in PKG_NS), in the order used for display.
ENTITY_TYPES = ("Method", "Model", "Dataset", "Task", "Metric", "Concept")
