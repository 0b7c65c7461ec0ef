/*
 * reparse-gmime.c - check a rewritten message against its original with
 * GMime: the same MIME tree (types in the same order, not descending into
 * returned originals), and the same content in every report part and
 * returned original (message/delivery-status, message/global-delivery-
 * status, message/rfc822, message/global, text/rfc822-headers).
 *
 * Usage: reparse-gmime ORIGINAL REWRITTEN; exit 0 when faithful, 1 not,
 * 2 on a usage or I/O error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

struct node {
	char type[128];
	char *content; /* serialised content of a kept part, or NULL */
	size_t len;
};

struct tree {
	struct node *n;
	size_t count, cap;
};

/* is_kept - must this part stay the same? */
static int
is_kept(const char *t)
{
	return strcmp(t, "message/delivery-status") == 0 ||
	       strcmp(t, "message/global-delivery-status") == 0 ||
	       strcmp(t, "message/rfc822") == 0 ||
	       strcmp(t, "message/global") == 0 ||
	       strcmp(t, "text/rfc822-headers") == 0;
}

/* content_of - the decoded content of a leaf, or the serialised message */
static char *
content_of(GMimeObject *o, size_t *len)
{
	GByteArray *arr = g_byte_array_new();
	GMimeStream *s = g_mime_stream_mem_new_with_byte_array(arr);
	char *out;

	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(s), FALSE);
	if (GMIME_IS_PART(o)) {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(o));
		if (w != NULL)
			g_mime_data_wrapper_write_to_stream(w, s);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *m =
		    g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (m != NULL)
			g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, s);
	}
	/* an empty message/rfc822 part: GMime reads none at the end of
	 * the input, and one of a bare line end before a delimiter (when
	 * the rewrite closed a truncated multipart); both are empty */
	if (GMIME_IS_MESSAGE_PART(o)) {
		guint k = 0;
		while (k < arr->len &&
		       (arr->data[k] == '\r' || arr->data[k] == '\n'))
			k++;
		if (k == arr->len)
			arr->len = 0;
	}
	out = malloc(arr->len + 1);
	if (arr->len > 0)
		memcpy(out, arr->data, arr->len);
	*len = arr->len;
	g_object_unref(s);
	g_byte_array_free(arr, TRUE);
	return out;
}

/* walk - record o and its children in pre-order */
static void
walk(struct tree *t, GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	struct node *n;
	int i;

	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->n = realloc(t->n, t->cap * sizeof(*t->n));
	}
	n = &t->n[t->count++];
	snprintf(n->type, sizeof(n->type), "%s/%s",
	         g_mime_content_type_get_media_type(ct),
	         g_mime_content_type_get_media_subtype(ct));
	for (char *p = n->type; *p; p++)
		*p = (char)g_ascii_tolower(*p);
	n->content = is_kept(n->type) ? content_of(o, &n->len) : NULL;
	if (GMIME_IS_MULTIPART(o))
		for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(o));
		     i++)
			walk(t,
			     g_mime_multipart_get_part(GMIME_MULTIPART(o), i));
}

/* load - parse file into a tree; 0 on success */
static int
load(const char *file, struct tree *t)
{
	GMimeStream *s;
	GMimeParser *p;
	GMimeMessage *m;
	FILE *fp = fopen(file, "rb");

	if (fp == NULL) {
		perror(file);
		return -1;
	}
	s = g_mime_stream_file_new(fp);
	p = g_mime_parser_new_with_stream(s);
	m = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (m == NULL) {
		fprintf(stderr, "%s: GMime cannot parse it\n", file);
		return -1;
	}
	walk(t, g_mime_message_get_mime_part(m));
	g_object_unref(m);
	return 0;
}

int
main(int argc, char **argv)
{
	struct tree a = {0}, b = {0};
	size_t i;
	int bad = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: reparse-gmime ORIGINAL REWRITTEN\n");
		return 2;
	}
	g_mime_init();
	if (load(argv[1], &a) != 0 || load(argv[2], &b) != 0)
		return 2;
	if (a.count != b.count) {
		fprintf(stderr, "part count %zu != %zu\n", a.count, b.count);
		bad = 1;
	}
	for (i = 0; i < a.count && i < b.count; i++) {
		if (strcmp(a.n[i].type, b.n[i].type) != 0) {
			fprintf(stderr, "part %zu: %s != %s\n", i, a.n[i].type,
			        b.n[i].type);
			bad = 1;
		} else if (a.n[i].content != NULL &&
		           (a.n[i].len != b.n[i].len ||
		            memcmp(a.n[i].content, b.n[i].content,
		                   a.n[i].len) != 0)) {
			fprintf(stderr, "part %zu (%s) changed\n", i,
			        a.n[i].type);
			bad = 1;
		}
	}
	for (i = 0; i < a.count; i++)
		free(a.n[i].content);
	for (i = 0; i < b.count; i++)
		free(b.n[i].content);
	free(a.n);
	free(b.n);
	return bad;
}
