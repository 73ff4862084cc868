"""SEO: structured data (JSON-LD) and the canonical address of each page."""
