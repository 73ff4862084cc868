"""Operations: health probes, outages, security headers, sign-in throttling, query counts, backups, checks."""
