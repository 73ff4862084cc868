"""Full-text indexing: stored, weighted search vectors kept current by every save (PostgreSQL)."""
