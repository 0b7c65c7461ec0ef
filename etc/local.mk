catalogdir = $(pkgdatadir)/catalog
dist_catalog_DATA = etc/catalog/en etc/catalog/de etc/catalog/fr \
	etc/catalog/es
EXTRA_DIST += etc/samples/bounce-userunknown.eml
