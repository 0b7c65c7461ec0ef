catalogdir = $(pkgdatadir)/catalog
dist_catalog_DATA = etc/catalog/en
