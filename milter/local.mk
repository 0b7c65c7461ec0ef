# The plainbounce milter daemon arrives with the milter issue; configure
# already looks for libmilter (HAVE_MILTER, MILTER_LIBS).
