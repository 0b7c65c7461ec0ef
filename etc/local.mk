catalogdir = $(pkgdatadir)/catalog
dist_catalog_DATA = etc/catalog/en
EXTRA_DIST += etc/samples/bounce-userunknown.eml
