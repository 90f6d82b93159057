/*
 * arena.c - bump allocation for everything one trial owns.
 *
 * Blocks are chained; a request larger than a quarter block gets a block of
 * its own. With CTM_ARENA_MALLOC every allocation is its own block, so
 * AddressSanitizer and valgrind see overruns of each one.
 */
#include <ctm/engine.h>

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 8192

typedef struct block {
	struct block *next;
	size_t cap, used;
	alignas(max_align_t) unsigned char data[];
} block;

struct ctm_arena {
	block *head;
	size_t total;
};

ctm_arena *ctm_arena_new(void)
{
	return calloc(1, sizeof(ctm_arena));
}

void ctm_arena_free(ctm_arena *a)
{
	block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static block *block_new(size_t cap)
{
	block *b = malloc(sizeof(block) + cap);

	if (!b)
		return NULL;
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

static void *arena_alloc(ctm_arena *a, size_t size, int zero);

void *ctm_arena_alloc(ctm_arena *a, size_t size)
{
	return arena_alloc(a, size, 1);
}

void *ctm_arena_alloc_uninit(ctm_arena *a, size_t size)
{
	return arena_alloc(a, size, 0);
}

static void *arena_alloc(ctm_arena *a, size_t size, int zero)
{
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	block *b;

	if (need < size)
		return NULL;
	if (need == 0)
		need = align;
#ifdef CTM_ARENA_MALLOC
	b = block_new(size ? size : 1);
	if (!b)
		return NULL;
	b->used = b->cap;
	if (a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		a->head = b;
	}
	a->total += size;
	if (zero)
		memset(b->data, 0, size ? size : 1);
	return b->data;
#else
	b = a->head;
	if (!b || b->cap - b->used < need) {
		if (need > BLOCK_SIZE / 4) {
			/* big: own block, kept behind the current one */
			block *big = block_new(need);
			if (!big)
				return NULL;
			big->used = need;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			a->total += need;
			if (zero)
				memset(big->data, 0, need);
			return big->data;
		}
		b = block_new(BLOCK_SIZE);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	{
		void *p = b->data + b->used;
		b->used += need;
		a->total += need;
		if (zero)
			memset(p, 0, need);
		return p;
	}
#endif
}

char *ctm_arena_strndup(ctm_arena *a, const char *s, size_t len)
{
	char *p;

	if (len + 1 == 0)
		return NULL;
	p = ctm_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ctm_arena_strdup(ctm_arena *a, const char *s)
{
	return s ? ctm_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t ctm_arena_used(const ctm_arena *a)
{
	return a->total;
}

/* The largest block a reset keeps for reuse. */
#define KEEP_MAX (256 * 1024)

void ctm_arena_reset(ctm_arena *a)
{
	block *b, *next;
	size_t sum = 0;

	if (!a || !a->head)
		return;
#ifndef CTM_ARENA_MALLOC
	/* one block (up to KEEP_MAX) is kept: an arena reset for each of
	 * thousands of records then allocates nothing once it is as large
	 * as a record needs */
	if (!a->head->next && a->head->cap <= KEEP_MAX) {
		a->head->used = 0;
		a->total = 0;
		return;
	}
#endif
	for (b = a->head; b; b = next) {
		next = b->next;
		sum += b->cap;
		free(b);
	}
	a->head = NULL;
	a->total = 0;
#ifndef CTM_ARENA_MALLOC
	/* what this round held, in one block for the next */
	if (sum > KEEP_MAX)
		sum = KEEP_MAX;
	a->head = block_new(sum < BLOCK_SIZE ? BLOCK_SIZE : sum);
#else
	(void)sum;
#endif
}
