/*
 * clitest_dump.h - an index's content for the end-to-end tests that say
 * "the same index": every key and value of its trials, match, facets and
 * post databases, and meta's counts of trials by version (not the ingest
 * history, which holds times), read with LMDB directly, in hex.
 */
#ifndef CTM_CLITEST_DUMP_H
#define CTM_CLITEST_DUMP_H

#include "clitest.h"

#include <lmdb.h>

CT_UNUSED static void ct_hex_append(char **buf, size_t *len, size_t *cap,
				    const void *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i;

	if (*len + 2 * n + 2 > *cap) {
		while (*len + 2 * n + 2 > *cap)
			*cap = *cap ? *cap * 2 : 1 << 16;
		*buf = realloc(*buf, *cap);
		cr_assert_not_null(*buf);
	}
	for (i = 0; i < n; i++) {
		(*buf)[(*len)++] = digits[p[i] >> 4];
		(*buf)[(*len)++] = digits[p[i] & 15];
	}
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

/* The index at path as text (malloc'd). */
CT_UNUSED static char *ct_dump_index(const char *path)
{
	static const struct {
		const char *name;
		unsigned flags;
	} dbs[] = {
		{"trials", 0},
		{"match", MDB_INTEGERKEY},
		{"facets", 0},
		{"post", MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP},
		{"meta", 0},
	};
	MDB_env *env;
	MDB_txn *txn;
	char *buf = NULL;
	size_t len = 0, cap = 0, i;

	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 16), 0);
	cr_assert_eq(mdb_env_open(env, path, MDB_RDONLY, 0600), 0,
		     "cannot open %s", path);
	cr_assert_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	for (i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
		MDB_dbi dbi;
		MDB_cursor *cur;
		MDB_val k, v;
		cr_assert_eq(mdb_dbi_open(txn, dbs[i].name, dbs[i].flags, &dbi),
			     0, "no database %s in %s", dbs[i].name, path);
		cr_assert_eq(mdb_cursor_open(txn, dbi, &cur), 0);
		ct_hex_append(&buf, &len, &cap, dbs[i].name,
			      strlen(dbs[i].name));
		while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
			/* meta: only the counts of trials by version (the
			 * ingest history holds times) */
			if (!strcmp(dbs[i].name, "meta") &&
			    (k.mv_size < 8 || memcmp(k.mv_data, "version:", 8)))
				continue;
			ct_hex_append(&buf, &len, &cap, k.mv_data, k.mv_size);
			ct_hex_append(&buf, &len, &cap, v.mv_data, v.mv_size);
		}
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return buf;
}

#endif
