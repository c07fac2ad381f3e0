"""Fixed lists of the allocation app."""

# Sub-paths of `…/<jaar>/verdeelmodel/` that a variant code may never take.
RESERVED_VARIANT_CODES = (
    "pdf",
    "vaststellen",
    "invoer",
    "maten",
    "varianten",
    "ingroeiregeling",
    "uittreding",
    "indexatie",
    "modules",
    "verrekeningen",
    "publiceren",
)
