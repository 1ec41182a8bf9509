"""Sharing an audit's personas, organisations, campaigns and templates with other organisations (docs/sharing.md).

- `select.select_share(findings, ...)`: what may leave the organisation (personas and campaigns at or above
  a level, staff reduced to counts, every text scrubbed of staff names, URLs and ids).
- `stix.to_stix(share)`: a STIX 2.1 bundle (the `stix2` library); `misp.to_misp(share)`: a MISP event
  (`pymisp`). Both are imported lazily by the command line and the service.
- `importer.import_shared(paths, engine)`: STIX bundles and MISP events into the workspace watchlist, through
  the watchlist's one STIX reader, so the watchlist's corroboration rule holds for what is imported.
"""
