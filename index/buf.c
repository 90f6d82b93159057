/* buf.c - a growable byte buffer for records. */
#include <ctm/index.h>

#include <stdlib.h>

void ctm_buf_free(ctm_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
