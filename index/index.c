/*
 * index.c - the LMDB index: trials, facets, postings and metadata.
 *
 * Databases (all in one environment, see ctm/index.h):
 *   trials  "NCTnnnnnnnn" -> record (record.c)
 *   facets  "NCTnnnnnnnn" -> the trial's posting keys, each NUL-terminated,
 *                            so an update can take its old postings away
 *   post    posting key -> nct numbers, uint32 in host order, sorted
 *                          duplicates (MDB_DUPSORT|MDB_DUPFIXED|MDB_INTEGERDUP)
 *   runs    run id (uint64 big-endian) -> run record (runs below)
 *   results run id (uint64 big-endian) + patient id -> result list bytes
 *   meta    "schema_version" -> uint32 little-endian
 *           "version:<16 hex digits>" -> uint32 little-endian: how many
 *                                       trials are stored with that
 *                                       version of their reading
 *                                       (ctm_trial.lexicon_hash)
 *           "versions_counted" -> empty: the counts above cover every
 *                                 trial (an index written before them
 *                                 gets them, by one scan, at its first
 *                                 write of trials)
 *           "ingest:<10-digit seq>" -> int64 time, uint32 added, updated,
 *                                      unchanged, rejected (little-endian)
 *
 * Every write goes through write_txn(): one transaction, aborted whole on
 * error; on MDB_MAP_FULL the map is doubled and the whole work redone.
 *
 * Map growth and threads. LMDB's rule (lmdb.h, mdb_env_set_mapsize): the
 * map may be resized only "if no transactions are active in this
 * process" -- a resize unmaps and remaps the file, so a reader in mdb_get
 * on another thread would touch unmapped memory (the batch crash of issue
 * 14). Every transaction of this process, read or write, therefore passes
 * a gate (gate_enter/gate_leave, a count of open transactions under a
 * mutex); a resize (our own growth on MDB_MAP_FULL, or adopting a size
 * another process grew the map to, on MDB_MAP_RESIZED) waits, holding the
 * gate's mutex, until the count is zero, so no transaction can begin
 * until the new map is in place. While a resize waits, new transactions
 * wait too (no reader can starve it), except on a thread that already
 * holds one open (it must be let through, or the two would wait for each
 * other). A thread that holds a transaction open cannot resize: that is
 * an error, not a hang. The map is large from the start (address space,
 * not memory: LMDB on Linux does not allocate it) so growth is rare.
 */
#include "record.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

/* 16 GiB of address space on 64-bit systems, 256 MiB on 32-bit ones */
#define DEFAULT_MAPSIZE \
	(SIZE_MAX > 0xffffffffu ? (size_t)1 << 34 : (size_t)256 << 20)
#define MIN_MAPSIZE ((size_t)64 << 10)
#define MAX_GROWTHS 32 /* doublings of the map within one write */
#define MAX_DBS 16     /* later: runs, results */

#define SCHEMA_KEY "schema_version"
#define VERSION_PREFIX "version:"
#define VERSION_KEY_LEN (sizeof(VERSION_PREFIX) - 1 + 16)
#define COUNTED_KEY "versions_counted"
#define REBUILD_KEY "rebuild"
#define SCHEMA_BARE_NCT 2 /* match parts and postings under NCT numbers */
#define INGEST_PREFIX "ingest:"
#define INGEST_VALUE_SIZE 24
#define NCT_LEN 11

/* Open transactions of this process; see the comment at the top. */
typedef struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t open;  /* transactions open */
	bool resizing; /* a resize waits for open to reach 0 */
} gate;

/* Transactions open on this thread (over every index, which is harmless:
 * it only lets a thread through a waiting resize). */
static _Thread_local unsigned held;

struct ctm_index {
	MDB_env *env;
	gate gate;
	bool gate_ok; /* mu and cv initialised */
	MDB_dbi trials, match, facets, post, meta, runs, results;
	unsigned flags;
	bool rebuild; /* REBUILD_KEY is set: every trial is read again */
	char *path;
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Translates an LMDB (or errno) rc at the boundary. */
static int mdb_fail(ctm_error *err, int rc, const char *path, const char *what)
{
	int code = rc == ENOMEM ? CTM_ENOMEM : CTM_EINDEX;

	return ctm_error_set(err, code, path, 0, 0, "%s: %s", what,
			     mdb_strerror(rc));
}

static MDB_val val_of(const void *p, size_t n)
{
	MDB_val v;

	v.mv_size = n;
	v.mv_data = (void *)p;
	return v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static char *join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static int file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/*
 * The initial map size: $CTM_INDEX_MAPSIZE (bytes) or 64 MiB, rounded up
 * to whole pages (LMDB wants a multiple of the page size).
 */
static int initial_mapsize(size_t *out, ctm_error *err)
{
	const char *s = getenv("CTM_INDEX_MAPSIZE");
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	unsigned long long v;
	char *end;
	size_t size = DEFAULT_MAPSIZE;

	if (s && *s) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || *end || *s == '-' || v == 0 || v > SIZE_MAX / 2)
			return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
					     "CTM_INDEX_MAPSIZE=%s is not a "
					     "size in bytes",
					     s);
		size = (size_t)v;
	}
	if (size < MIN_MAPSIZE)
		size = MIN_MAPSIZE;
	*out = (size + page - 1) / page * page;
	return 0;
}

static void gate_enter(ctm_index *idx)
{
	gate *g = &idx->gate;

	pthread_mutex_lock(&g->mu);
	while (g->resizing && held == 0)
		pthread_cond_wait(&g->cv, &g->mu);
	g->open++;
	held++;
	pthread_mutex_unlock(&g->mu);
}

static void gate_leave(ctm_index *idx)
{
	gate *g = &idx->gate;

	pthread_mutex_lock(&g->mu);
	assert(g->open > 0 && held > 0);
	g->open--;
	held--;
	if (g->open == 0)
		pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

/* Ends a transaction begun through the gate (read or write, aborted). */
static void txn_end(ctm_index *idx, MDB_txn *txn)
{
	if (!txn)
		return;
	mdb_txn_abort(txn);
	gate_leave(idx);
}

/*
 * Resizes the map with no transaction open in this process: size 0
 * adopts the size another process grew the map to (MDB_MAP_RESIZED),
 * size 1 doubles it (MDB_MAP_FULL). Returns an LMDB rc; EDEADLK when the
 * calling thread holds a transaction open itself.
 */
static int gate_resize(ctm_index *idx, int doubling)
{
	gate *g = &idx->gate;
	MDB_envinfo info;
	int rc;

	if (held)
		return EDEADLK;
	pthread_mutex_lock(&g->mu);
	while (g->resizing) /* another thread resizes: wait for it */
		pthread_cond_wait(&g->cv, &g->mu);
	g->resizing = true;
	while (g->open > 0)
		pthread_cond_wait(&g->cv, &g->mu);
	/* No transaction is open and none can begin: we hold mu. */
	rc = mdb_env_info(idx->env, &info);
	if (rc == 0 && !doubling)
		rc = mdb_env_set_mapsize(idx->env, 0);
	else if (rc == 0 && info.me_mapsize > SIZE_MAX / 2)
		rc = MDB_MAP_FULL;
	else if (rc == 0)
		rc = mdb_env_set_mapsize(idx->env, info.me_mapsize * 2);
	g->resizing = false;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
	return rc;
}

/*
 * Begins a transaction through the gate; on MDB_MAP_RESIZED (another
 * process grew the map) adopts the new size and tries again.
 */
static int txn_begin(ctm_index *idx, unsigned flags, MDB_txn **txn)
{
	int rc = 0, tries;

	*txn = NULL;
	for (tries = 0; tries < 4; tries++) {
		gate_enter(idx);
		rc = mdb_txn_begin(idx->env, NULL, flags, txn);
		if (rc == 0)
			return 0;
		*txn = NULL;
		gate_leave(idx);
		if (rc != MDB_MAP_RESIZED)
			break;
		rc = gate_resize(idx, 0);
		if (rc)
			break;
		rc = MDB_MAP_RESIZED;
	}
	return rc;
}

/* A read-only transaction; adopts a map grown by another process. */
static int read_txn(ctm_index *idx, MDB_txn **txn, ctm_error *err)
{
	int rc = txn_begin(idx, MDB_RDONLY, txn);

	if (rc)
		return mdb_fail(err, rc, idx->path,
				"cannot start a read transaction");
	return 0;
}

/*
 * A write that failed with ENOSPC, or with EIO (LMDB reports a short
 * write, which is how a full disk shows, as EIO) on a device with no
 * space left: says so, and how much the index needed. The same for the
 * process's file size limit (RLIMIT_FSIZE, `ulimit -f`; SIGXFSZ ignored):
 * EFBIG, or a short write that stopped at the limit. True when it was one
 * of these.
 */
static bool disk_full(ctm_index *idx, ctm_error *err, int rc)
{
	struct statvfs vfs;
	struct stat st;
	struct rlimit rl;
	char *data_p = join_path(idx->path, "data.mdb");
	double free_mib, file_mib = 0;
	bool have_size;

	have_size = data_p && stat(data_p, &st) == 0;
	free(data_p);
	if (have_size)
		file_mib = (double)st.st_size / 1048576.0;
	if ((rc == EFBIG || rc == EIO) && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    (rc == EFBIG || (have_size && (rlim_t)st.st_size >= rl.rlim_cur))) {
		ctm_error_set(err, CTM_EIO, idx->path, 0, 0,
			      "the index's data file reached the file size "
			      "limit of this process (ulimit -f: %.1f MiB): it "
			      "is %.1f MiB and needed to grow; nothing of this "
			      "write was kept",
			      (double)rl.rlim_cur / 1048576.0, file_mib);
		return true;
	}
	if (rc == EFBIG || statvfs(idx->path, &vfs) != 0)
		return false;
	free_mib = (double)vfs.f_bavail * (double)vfs.f_frsize / 1048576.0;
	/* EIO with room left is some other I/O error: not ours to rename */
	if (rc == EIO && vfs.f_bavail * vfs.f_frsize >= (1u << 20))
		return false;
	ctm_error_set(err, CTM_EIO, idx->path, 0, 0,
		      "no space left on the device holding the index: its "
		      "data file is %.1f MiB and needed to grow, %.1f MiB "
		      "free; nothing of this write was kept",
		      file_mib, free_mib);
	return true;
}

/*
 * Runs fn in one write transaction and commits. fn returns an LMDB rc (or
 * an errno value) and sets *what to say what it was doing. MDB_MAP_FULL
 * from fn or the commit aborts, doubles the map and runs fn again from the
 * start; any other failure aborts: nothing is written.
 */
typedef int (*txn_fn)(ctm_index *idx, MDB_txn *txn, void *ctx,
		      const char **what);

static int write_txn(ctm_index *idx, txn_fn fn, void *ctx, ctm_error *err)
{
	const char *what = "cannot start a write transaction";
	MDB_txn *txn = NULL;
	int rc = 0, growths = 0;

	if (idx->flags & CTM_INDEX_READONLY)
		return ctm_error_set(err, CTM_EINVALID, idx->path, 0, 0,
				     "the index was opened read-only");
	for (;;) {
		what = "cannot start a write transaction";
		rc = txn_begin(idx, 0, &txn);
		if (rc)
			break;
		rc = fn(idx, txn, ctx, &what);
		if (rc == 0) {
			what = "cannot commit";
			rc = mdb_txn_commit(txn); /* frees txn either way */
		} else {
			mdb_txn_abort(txn);
		}
		gate_leave(idx);
		txn = NULL;
		if (rc != MDB_MAP_FULL)
			break;
		if (growths++ >= MAX_GROWTHS)
			break;
		rc = gate_resize(idx, 1);
		if (rc == EDEADLK)
			return ctm_error_set(err, CTM_EINDEX, idx->path, 0, 0,
					     "cannot grow the map while this "
					     "thread holds a read transaction");
		if (rc) {
			what = "cannot grow the map";
			break;
		}
	}
	if ((rc == ENOSPC || rc == EIO || rc == EFBIG) &&
	    disk_full(idx, err, rc))
		return CTM_EIO;
	if (rc)
		return mdb_fail(err, rc, idx->path, what);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static int read_schema(ctm_index *idx, MDB_txn *txn, uint32_t *old,
		       ctm_error *err)
{
	MDB_val k = val_of(SCHEMA_KEY, strlen(SCHEMA_KEY)), v;
	uint32_t ver;
	int rc = mdb_get(txn, idx->meta, &k, &v);

	*old = 0;
	if (rc == MDB_NOTFOUND)
		return ctm_error_set(err, CTM_EINDEX, idx->path, 0, 0,
				     "%s is not a ctmatch index (no schema "
				     "version)",
				     idx->path);
	if (rc)
		return mdb_fail(err, rc, idx->path,
				"cannot read the schema version");
	if (v.mv_size != 4)
		return ctm_error_set(err, CTM_EINDEX, idx->path, 0, 0,
				     "index %s has a corrupt schema version",
				     idx->path);
	ver = get_le32(v.mv_data);
	if (ver == SCHEMA_BARE_NCT && (idx->flags & CTM_INDEX_UPGRADE)) {
		*old = ver;
		return 0;
	}
	if (ver == SCHEMA_BARE_NCT)
		return ctm_error_set(err, CTM_EVERSION, idx->path, 0, 0,
				     "the index has schema version %u, this "
				     "ctmatch reads version %u; run "
				     "'ctmatch reparse --db %s' to bring it "
				     "up to date",
				     (unsigned)ver,
				     (unsigned)CTM_INDEX_SCHEMA_VERSION,
				     idx->path);
	if (ver != CTM_INDEX_SCHEMA_VERSION)
		return ctm_error_set(err, CTM_EVERSION, idx->path, 0, 0,
				     "index %s has schema version %u, this "
				     "ctmatch reads version %u; ingest into "
				     "a new --db",
				     idx->path, (unsigned)ver,
				     (unsigned)CTM_INDEX_SCHEMA_VERSION);
	return 0;
}

/*
 * Opens the named databases (creating them in a fresh environment) and
 * checks or writes the schema version. A fresh environment is one whose
 * main database is empty: that also covers a creation that died before
 * its first commit.
 */
static int open_dbs(ctm_index *idx, ctm_error *err)
{
	const int ro = (idx->flags & CTM_INDEX_READONLY) != 0;
	const unsigned post_flags = MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP;
	unsigned create = ro ? 0 : MDB_CREATE;
	MDB_txn *txn = NULL;
	MDB_dbi main_dbi;
	MDB_stat st;
	MDB_val k, v;
	const char *what = "cannot open the databases";
	uint32_t old = 0;
	int rc, fresh;

	rc = txn_begin(idx, ro ? MDB_RDONLY : 0, &txn);
	if (rc)
		return mdb_fail(err, rc, idx->path,
				ro ? "cannot start a read transaction"
				   : "cannot start a write transaction");
	rc = mdb_dbi_open(txn, NULL, 0, &main_dbi);
	if (rc == 0)
		rc = mdb_stat(txn, main_dbi, &st);
	if (rc)
		goto lmdb_error;
	fresh = st.ms_entries == 0;
	if (fresh && ro) {
		rc = ctm_error_set(err, CTM_ENOTFOUND, idx->path, 0, 0,
				   "%s is not a ctmatch index (it is empty)",
				   idx->path);
		goto done;
	}
	rc = mdb_dbi_open(txn, "meta", fresh ? MDB_CREATE : 0, &idx->meta);
	if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE) {
		rc = ctm_error_set(err, CTM_EINDEX, idx->path, 0, 0,
				   "%s is not a ctmatch index (no meta "
				   "database)",
				   idx->path);
		goto done;
	}
	if (rc)
		goto lmdb_error;
	if (fresh) {
		unsigned char ver[4];
		k = val_of(SCHEMA_KEY, strlen(SCHEMA_KEY));
		v = val_of(ver, 4);
		put_le32(ver, CTM_INDEX_SCHEMA_VERSION);
		what = "cannot write the schema version";
		rc = mdb_put(txn, idx->meta, &k, &v, 0);
		if (rc == 0) {
			k = val_of(COUNTED_KEY, strlen(COUNTED_KEY));
			v = val_of("", 0);
			rc = mdb_put(txn, idx->meta, &k, &v, 0);
		}
		if (rc)
			goto lmdb_error;
	} else {
		rc = read_schema(idx, txn, &old, err);
		if (rc)
			goto done;
	}
	what = "cannot open the databases";
	rc = mdb_dbi_open(txn, "trials", create, &idx->trials);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "match", create | MDB_INTEGERKEY,
				  &idx->match);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "facets", create, &idx->facets);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "post", create | post_flags, &idx->post);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "runs", create, &idx->runs);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "results", create, &idx->results);
	if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE) {
		rc = ctm_error_set(err, CTM_EINDEX, idx->path, 0, 0,
				   "%s is not a ctmatch index (a database is "
				   "missing or of the wrong kind)",
				   idx->path);
		goto done;
	}
	if (rc)
		goto lmdb_error;
	if (old == SCHEMA_BARE_NCT) {
		/* the match parts and postings go: ctmatch reparse files
		 * every trial again under its trial key */
		unsigned char ver[4];
		if (ro) {
			rc = ctm_error_set(err, CTM_EINVALID, idx->path, 0, 0,
					   "index %s must be opened for "
					   "writing to be brought up to date",
					   idx->path);
			goto done;
		}
		put_le32(ver, CTM_INDEX_SCHEMA_VERSION);
		what = "cannot bring the index up to date";
		rc = mdb_drop(txn, idx->match, 0);
		if (rc == 0)
			rc = mdb_drop(txn, idx->post, 0);
		k = val_of(REBUILD_KEY, strlen(REBUILD_KEY));
		v = val_of("", 0);
		if (rc == 0)
			rc = mdb_put(txn, idx->meta, &k, &v, 0);
		k = val_of(SCHEMA_KEY, strlen(SCHEMA_KEY));
		v = val_of(ver, 4);
		if (rc == 0)
			rc = mdb_put(txn, idx->meta, &k, &v, 0);
		if (rc)
			goto lmdb_error;
	}
	k = val_of(REBUILD_KEY, strlen(REBUILD_KEY));
	rc = fresh ? MDB_NOTFOUND : mdb_get(txn, idx->meta, &k, &v);
	if (rc == 0 && !(idx->flags & CTM_INDEX_UPGRADE)) {
		rc = ctm_error_set(err, CTM_EVERSION, idx->path, 0, 0,
				   "the index is being brought up to date; "
				   "run 'ctmatch reparse --db %s' to finish",
				   idx->path);
		goto done;
	}
	idx->rebuild = rc == 0;
	if (rc && rc != MDB_NOTFOUND)
		goto lmdb_error;
	/* Committing a read transaction too keeps the dbi handles. */
	rc = mdb_txn_commit(txn);
	txn = NULL;
	gate_leave(idx);
	if (rc) {
		what = "cannot commit";
		goto lmdb_error;
	}
	return 0;

lmdb_error:
	rc = mdb_fail(err, rc, idx->path, what);
done:
	txn_end(idx, txn);
	return rc;
}

/* Whether LMDB could open the lock file for writing (as root too). */
static bool lock_writable(const char *lock_p)
{
	int fd = open(lock_p, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int ctm_index_open(ctm_index **out, const char *path, unsigned flags,
		   ctm_error *err)
{
	const int ro = (flags & CTM_INDEX_READONLY) != 0;
	ctm_index *idx = NULL;
	char *data_p = NULL, *lock_p = NULL;
	int had_data, had_lock, rc;
	unsigned nolock = 0;
	size_t mapsize = 0;
	struct stat st;

	*out = NULL;
	if (!path || !*path)
		return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
				     "no index path given");
	rc = initial_mapsize(&mapsize, err);
	if (rc)
		return rc;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return ctm_error_set(err, CTM_EIO, path, 0, 0,
					     "cannot open index %s: %s", path,
					     strerror(errno));
		if (!(flags & CTM_INDEX_CREATE) || ro)
			return ctm_error_set(err, CTM_ENOTFOUND, path, 0, 0,
					     "no index at %s", path);
		/* chmod: mkdir's mode is cut by the umask. */
		if ((mkdir(path, 0700) != 0 && errno != EEXIST) ||
		    chmod(path, 0700) != 0 || stat(path, &st) != 0)
			return ctm_error_set(err, CTM_EIO, path, 0, 0,
					     "cannot create index directory "
					     "%s: %s",
					     path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return ctm_error_set(err, CTM_EINDEX, path, 0, 0,
				     "%s is not an index: not a directory",
				     path);

	idx = calloc(1, sizeof(*idx));
	if (idx)
		idx->path = strdup(path);
	data_p = join_path(path, "data.mdb");
	lock_p = join_path(path, "lock.mdb");
	if (!idx || !idx->path || !data_p || !lock_p) {
		rc = ctm_error_set(err, CTM_ENOMEM, path, 0, 0,
				   "out of memory");
		goto done;
	}
	idx->flags = flags;
	if (pthread_mutex_init(&idx->gate.mu, NULL) != 0) {
		rc = ctm_error_set(err, CTM_ENOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	if (pthread_cond_init(&idx->gate.cv, NULL) != 0) {
		pthread_mutex_destroy(&idx->gate.mu);
		rc = ctm_error_set(err, CTM_ENOMEM, path, 0, 0, "out of memory");
		goto done;
	}
	idx->gate_ok = true;
	had_data = file_exists(data_p);
	had_lock = file_exists(lock_p);
	if (!had_data && (ro || !(flags & CTM_INDEX_CREATE))) {
		rc = ctm_error_set(err, CTM_ENOTFOUND, path, 0, 0,
				   "%s is not a ctmatch index (no data.mdb)",
				   path);
		goto done;
	}
	/* A writer killed between creating data.mdb and writing LMDB's
	 * meta pages leaves it empty. LMDB would write them on open, which
	 * a read-only open cannot (EBADF): it is an empty index. (A short
	 * file with bytes in it is not LMDB's, and says so below.) */
	if (ro && had_data && stat(data_p, &st) == 0 && st.st_size == 0) {
		rc = ctm_error_set(err, CTM_ENOTFOUND, path, 0, 0,
				   "%s is not a ctmatch index (it is empty)",
				   path);
		goto done;
	}

	rc = mdb_env_create(&idx->env);
	if (rc) {
		idx->env = NULL;
		rc = mdb_fail(err, rc, path, "cannot create the environment");
		goto done;
	}
	if ((rc = mdb_env_set_maxdbs(idx->env, MAX_DBS)) != 0 ||
	    (rc = mdb_env_set_mapsize(idx->env, mapsize)) != 0) {
		rc = mdb_fail(err, rc, path, "cannot set up the environment");
		goto done;
	}
	/* A read-only copy (a shared drive, a CD) whose lock file cannot be
	 * written, or a read-only directory without one: read it without
	 * the lock (MDB_NOLOCK), which is safe as long as nothing writes it,
	 * and nothing can. */
	if (ro && (had_lock ? !lock_writable(lock_p) : access(path, W_OK) != 0))
		nolock = MDB_NOLOCK;
	rc = mdb_env_open(idx->env, path, nolock | MDB_NOTLS | MDB_NORDAHEAD | (ro ? MDB_RDONLY : 0) |
			  ((flags & CTM_INDEX_FAST_COMMIT) ? MDB_NOMETASYNC : 0),
			  0600);
	if (rc) {
		rc = mdb_fail(err, rc, path, "cannot open the index");
		goto done;
	}
	/* The files' mode was cut by the umask: make them exactly 0600. */
	if ((!had_data && chmod(data_p, 0600) != 0) ||
	    (!had_lock && file_exists(lock_p) && chmod(lock_p, 0600) != 0)) {
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0,
				   "cannot set the mode of the index files "
				   "in %s: %s",
				   path, strerror(errno));
		goto done;
	}
	/* Adopt the size the file was last written with, if larger (no
	 * transaction is open yet: the resize rule holds). */
	rc = mdb_env_set_mapsize(idx->env, 0);
	if (rc == 0) {
		MDB_envinfo info;
		rc = mdb_env_info(idx->env, &info);
		if (rc == 0 && info.me_mapsize < mapsize)
			rc = mdb_env_set_mapsize(idx->env, mapsize);
	}
	if (rc) {
		rc = mdb_fail(err, rc, path, "cannot size the map");
		goto done;
	}
	rc = open_dbs(idx, err);
	if (rc)
		goto done;
	*out = idx;
	idx = NULL;
done:
	free(data_p);
	free(lock_p);
	ctm_index_close(idx);
	return rc;
}

void ctm_index_close(ctm_index *idx)
{
	if (!idx)
		return;
	if (idx->env)
		mdb_env_close(idx->env);
	if (idx->gate_ok) {
		pthread_cond_destroy(&idx->gate.cv);
		pthread_mutex_destroy(&idx->gate.mu);
	}
	free(idx->path);
	free(idx);
}

/* ------------------------------------------------------------------ */
/* Versions of the trials' reading                                     */
/* ------------------------------------------------------------------ */

/* Changes to the per-version counts, applied at the end of a write. */
typedef struct vdelta {
	uint64_t version;
	int64_t delta;
} vdelta;

typedef struct vtally {
	vdelta *a;
	size_t n, cap;
} vtally;

static int tally_add(vtally *t, uint64_t version, int64_t delta)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->a[i].version == version) {
			t->a[i].delta += delta;
			return 0;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		vdelta *a = realloc(t->a, cap * sizeof(*a));
		if (!a)
			return ENOMEM;
		t->a = a;
		t->cap = cap;
	}
	t->a[t->n].version = version;
	t->a[t->n].delta = delta;
	t->n++;
	return 0;
}

/* A stored record's version; 0 (never current) when it cannot be read. */
static uint64_t stored_version(const MDB_val *v)
{
	uint64_t ver;

	return ctm_record_version(v->mv_data, v->mv_size, &ver) == 0 ? ver : 0;
}

static void version_key(char key[VERSION_KEY_LEN + 1], uint64_t version)
{
	snprintf(key, VERSION_KEY_LEN + 1, VERSION_PREFIX "%016llx",
		 (unsigned long long)version);
}

/* Adds the tally to the counts in meta. */
static int tally_apply(ctm_index *idx, MDB_txn *txn, const vtally *t)
{
	char key[VERSION_KEY_LEN + 1];
	unsigned char c[4];
	size_t i;
	int rc;

	for (i = 0; i < t->n; i++) {
		MDB_val k, v;
		int64_t count = 0;
		if (t->a[i].delta == 0)
			continue;
		version_key(key, t->a[i].version);
		k = val_of(key, VERSION_KEY_LEN);
		rc = mdb_get(txn, idx->meta, &k, &v);
		if (rc == 0 && v.mv_size == 4)
			count = get_le32(v.mv_data);
		else if (rc && rc != MDB_NOTFOUND)
			return rc;
		count += t->a[i].delta;
		if (count < 0 || count > UINT32_MAX)
			return MDB_CORRUPTED;
		if (count == 0) {
			rc = mdb_del(txn, idx->meta, &k, NULL);
			if (rc == MDB_NOTFOUND)
				rc = 0;
		} else {
			put_le32(c, (uint32_t)count);
			v = val_of(c, 4);
			rc = mdb_put(txn, idx->meta, &k, &v, 0);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Counts every stored trial by version into t (one scan). */
static int tally_scan(ctm_index *idx, MDB_txn *txn, vtally *t)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc, op = MDB_FIRST;

	rc = mdb_cursor_open(txn, idx->trials, &cur);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, (MDB_cursor_op)op)) == 0) {
		op = MDB_NEXT;
		rc = tally_add(t, stored_version(&v), 1);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * Makes sure meta counts the trials by version before a write changes
 * them: an index written by a ctmatch that kept no counts gets them now.
 */
static int ensure_counted(ctm_index *idx, MDB_txn *txn)
{
	MDB_val k = val_of(COUNTED_KEY, strlen(COUNTED_KEY)), v;
	vtally t = {NULL, 0, 0};
	int rc = mdb_get(txn, idx->meta, &k, &v);

	if (rc != MDB_NOTFOUND)
		return rc;
	rc = tally_scan(idx, txn, &t);
	if (rc == 0)
		rc = tally_apply(idx, txn, &t);
	free(t.a);
	if (rc == 0) {
		v = val_of("", 0);
		rc = mdb_put(txn, idx->meta, &k, &v, 0);
	}
	return rc;
}

int ctm_index_stale_count(ctm_index *idx, uint64_t current, size_t *stale,
			  size_t *total, ctm_error *err)
{
	const size_t plen = sizeof(VERSION_PREFIX) - 1;
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	vtally t = {NULL, 0, 0};
	size_t i;
	int rc;

	*stale = 0;
	if (total)
		*total = 0;
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	k = val_of(COUNTED_KEY, strlen(COUNTED_KEY));
	rc = mdb_get(txn, idx->meta, &k, &v);
	if (rc == MDB_NOTFOUND) {
		/* written before the counts: count them now (once per
		 * command; the next write stores them) */
		rc = tally_scan(idx, txn, &t);
	} else if (rc == 0) {
		rc = mdb_cursor_open(txn, idx->meta, &cur);
		k = val_of(VERSION_PREFIX, plen);
		if (rc == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		while (rc == 0 && k.mv_size == VERSION_KEY_LEN &&
		       !memcmp(k.mv_data, VERSION_PREFIX, plen)) {
			char hex[17];
			memcpy(hex, (const char *)k.mv_data + plen, 16);
			hex[16] = '\0';
			if (v.mv_size != 4) {
				rc = MDB_CORRUPTED;
				break;
			}
			rc = tally_add(&t, strtoull(hex, NULL, 16),
				       get_le32(v.mv_data));
			if (rc == 0)
				rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		}
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc) {
		rc = mdb_fail(err, rc, idx->path,
			      "cannot read the versions of the criteria");
	} else {
		for (i = 0; i < t.n; i++) {
			if (t.a[i].version != current || idx->rebuild)
				*stale += (size_t)t.a[i].delta;
			if (total)
				*total += (size_t)t.a[i].delta;
		}
	}
	free(t.a);
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}

int ctm_index_stale_records(ctm_index *idx, uint64_t current, bool all,
			    char after[CTM_NCT_ID_SIZE], size_t max,
			    ctm_buf *raw, size_t *n, bool *end,
			    ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	size_t got = 0;
	int rc, op;

	*n = 0;
	*end = false;
	all = all || idx->rebuild;
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, idx->trials, &cur);
	if (rc == 0) {
		if (after[0]) {
			k = val_of(after, strlen(after));
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			if (rc == 0 && k.mv_size == strlen(after) &&
			    !memcmp(k.mv_data, after, k.mv_size))
				rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		} else {
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
	}
	op = MDB_NEXT;
	while (rc == 0 && got < max) {
		if (k.mv_size >= CTM_NCT_ID_SIZE) {
			rc = MDB_CORRUPTED;
			break;
		}
		memcpy(after, k.mv_data, k.mv_size);
		after[k.mv_size] = '\0';
		if (all || stored_version(&v) != current) {
			raw[got].len = 0;
			if (raw[got].cap < v.mv_size) {
				unsigned char *d = realloc(raw[got].data,
							   v.mv_size);
				if (!d) {
					rc = ENOMEM;
					break;
				}
				raw[got].data = d;
				raw[got].cap = v.mv_size;
			}
			memcpy(raw[got].data, v.mv_data, v.mv_size);
			raw[got].len = v.mv_size;
			got++;
		}
		rc = mdb_cursor_get(cur, &k, &v, (MDB_cursor_op)op);
	}
	if (rc == MDB_NOTFOUND) {
		*end = true;
		rc = 0;
	}
	if (rc)
		rc = mdb_fail(err, rc, idx->path, "cannot read the trials");
	else
		*n = got;
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}

bool ctm_index_rebuild_pending(const ctm_index *idx)
{
	return idx->rebuild;
}

static int rebuild_done_txn(ctm_index *idx, MDB_txn *txn, void *ctx,
			    const char **what)
{
	MDB_val k = val_of(REBUILD_KEY, strlen(REBUILD_KEY));
	int rc;

	(void)ctx;
	*what = "cannot mark the index up to date";
	rc = mdb_del(txn, idx->meta, &k, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int ctm_index_rebuild_done(ctm_index *idx, ctm_error *err)
{
	int rc;

	if (!idx->rebuild)
		return 0;
	rc = write_txn(idx, rebuild_done_txn, NULL, err);
	if (rc == 0)
		idx->rebuild = false;
	return rc;
}

int ctm_index_stored(ctm_index *idx, uint32_t nct_num, int32_t *last_update,
		     uint64_t *version, ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_val k, v;
	char id[CTM_NCT_ID_SIZE];
	int rc;

	snprintf(id, sizeof id, "NCT%08u", (unsigned)nct_num);
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	k = val_of(id, NCT_LEN);
	rc = mdb_get(txn, idx->trials, &k, &v);
	if (rc == MDB_NOTFOUND) {
		rc = CTM_ENOTFOUND;
	} else if (rc) {
		rc = mdb_fail(err, rc, idx->path, "cannot read the trial");
	} else if (ctm_record_last_update(v.mv_data, v.mv_size,
					  last_update) != 0) {
		rc = CTM_ENOTFOUND; /* unreadable: as if absent */
	} else {
		*version = stored_version(&v);
	}
	txn_end(idx, txn);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Upserts                                                             */
/* ------------------------------------------------------------------ */

typedef struct pending {
	uint32_t num;
	ctm_trial_key key; /* cluster << 32 | num */
	ctm_buf rec;
	ctm_buf keys; /* the posting keys, each NUL-terminated */
} pending;

typedef struct upsert_ctx {
	ctm_trial *const *trials;
	pending *p;
	size_t n;
	ctm_upsert_result *results;
	char *old;	/* copy of a stored facets value */
	size_t old_cap;
	size_t failed;	/* the trial being written when fn failed */
	bool force;	/* replace whatever is stored (reparse) */
	vtally tally;	/* trials by version: + written, - replaced */
} upsert_ctx;

typedef struct facet_ctx {
	ctm_buf *keys;
	size_t max_key;
	const char *bad; /* a key LMDB cannot store */
} facet_ctx;

static int add_facet(void *ctx, const char *key)
{
	facet_ctx *fc = ctx;
	ctm_buf *b = fc->keys;
	size_t n = strlen(key);
	unsigned char *d;

	if (n == 0 || n > fc->max_key) {
		fc->bad = key;
		return CTM_EINVALID;
	}
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap - b->len < n + 1)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return CTM_ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, key, n + 1);
	b->len += n + 1;
	return 0;
}

/*
 * The cluster of a trial filed under keys[0..len) (each NUL-terminated):
 * whether it is open (recruiting or not yet: the trials a lookup reads),
 * in the top bit, and a hash of its first disease key (the disease its
 * sponsor names first) in the others. The open trials of one disease
 * share it, and so lie together in the match parts and the postings; a
 * trial filed under no disease has hash 0. A function of the keys alone,
 * so the stored facets give a trial's old key.
 */
static uint32_t cluster_of(const char *keys, size_t len)
{
	const char *p = keys, *end = keys + len;
	uint32_t h = 0, open = 0;

	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));
		if (!h && n > 8 && !memcmp(p, "disease:", 8)) {
			h = (uint32_t)(ctm_fnv1a(p, n, CTM_FNV_SEED) >> 33);
			h = h ? h : 1;
		} else if (n > 7 && !memcmp(p, "status:", 7)) {
			int st;
			for (st = 0; st < CTM_STATUS_COUNT_; st++) {
				const char *tok = ctm_status_token((ctm_status)st);
				if (ctm_status_is_open((ctm_status)st) &&
				    strlen(tok) == n - 7 && !memcmp(p + 7, tok, n - 7))
					open = 0x80000000u;
			}
		}
		p += n + 1;
	}
	return open | h;
}

static ctm_trial_key trial_key(const char *keys, size_t len, uint32_t num)
{
	return (ctm_trial_key)cluster_of(keys, len) << 32 | num;
}

/* Deletes key from every posting listed in keys[0..len). */
static int drop_postings(ctm_index *idx, MDB_txn *txn, const char *keys,
			 size_t len, ctm_trial_key key)
{
	const char *p = keys, *end = keys + len;
	MDB_val v = val_of(&key, sizeof key);
	int rc;

	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));
		if (n > 0) {
			MDB_val k = val_of(p, n);
			rc = mdb_del(txn, idx->post, &k, &v);
			if (rc && rc != MDB_NOTFOUND)
				return rc;
		}
		p += n + 1;
	}
	return 0;
}

static int upsert_one(ctm_index *idx, MDB_txn *txn, upsert_ctx *u, size_t i,
		      const char **what)
{
	const ctm_trial *t = u->trials[i];
	pending *p = &u->p[i];
	MDB_val k = val_of(t->nct_id, NCT_LEN), v;
	ctm_upsert_result res = CTM_UPSERT_ADDED;
	int32_t stored;
	size_t off;
	int rc;

	*what = "cannot read the stored trial";
	rc = mdb_get(txn, idx->trials, &k, &v);
	if (rc == 0) {
		uint64_t old = stored_version(&v);
		/* A stored record we cannot read is replaced. A record of
		 * the same date read by another version of the reader (its
		 * lexicon, rules or code) is replaced too: that brings it
		 * up to date. */
		/* A replace (reparse) of a record read earlier leaves alone
		 * one that a concurrent ingest has since made newer. */
		if (ctm_record_last_update(v.mv_data, v.mv_size, &stored) ==
			    0 &&
		    (stored > t->last_update ||
		     (!u->force && stored == t->last_update &&
		      old == t->lexicon_hash))) {
			if (u->results)
				u->results[i] = CTM_UPSERT_UNCHANGED;
			return 0;
		}
		res = CTM_UPSERT_UPDATED;
		*what = "cannot count the trials by version";
		rc = tally_add(&u->tally, old, -1);
		if (rc)
			return rc;
	} else if (rc != MDB_NOTFOUND) {
		return rc;
	}
	*what = "cannot count the trials by version";
	rc = tally_add(&u->tally, t->lexicon_hash, 1);
	if (rc)
		return rc;

	*what = "cannot write the trial";
	v = val_of(p->rec.data, p->rec.len);
	rc = mdb_put(txn, idx->trials, &k, &v, 0);
	if (rc)
		return rc;

	if (res == CTM_UPSERT_UPDATED) {
		*what = "cannot remove the old postings";
		rc = mdb_get(txn, idx->facets, &k, &v);
		if (rc == 0) {
			ctm_trial_key old;
			MDB_val ok;
			/* Copied out: writes to post may move pages. */
			if (v.mv_size > u->old_cap) {
				char *o = realloc(u->old, v.mv_size);
				if (!o)
					return ENOMEM;
				u->old = o;
				u->old_cap = v.mv_size;
			}
			if (v.mv_size)
				memcpy(u->old, v.mv_data, v.mv_size);
			old = trial_key(u->old, v.mv_size, p->num);
			rc = drop_postings(idx, txn, u->old, v.mv_size, old);
			if (rc)
				return rc;
			/* the old match part, where the old key put it */
			ok = val_of(&old, sizeof old);
			rc = old == p->key ? 0 : mdb_del(txn, idx->match, &ok, NULL);
			if (rc && rc != MDB_NOTFOUND)
				return rc;
		} else if (rc != MDB_NOTFOUND) {
			return rc;
		}
	}
	/* the record's match part again, packed with its neighbours',
	 * under the trial key (an integer key: cluster, then NCT number) */
	*what = "cannot write the trial";
	k = val_of(&p->key, sizeof p->key);
	v = val_of(p->rec.data, ctm_record_match_size(p->rec.data, p->rec.len));
	rc = mdb_put(txn, idx->match, &k, &v, 0);
	k = val_of(t->nct_id, NCT_LEN);
	if (rc)
		return rc;

	*what = "cannot write the postings";
	for (off = 0; off < p->keys.len;) {
		const char *key = (const char *)p->keys.data + off;
		size_t n = strlen(key);
		MDB_val pk = val_of(key, n), pv = val_of(&p->key, sizeof p->key);
		rc = mdb_put(txn, idx->post, &pk, &pv, MDB_NODUPDATA);
		if (rc && rc != MDB_KEYEXIST)
			return rc;
		off += n + 1;
	}
	v = val_of(p->keys.data, p->keys.len);
	rc = mdb_put(txn, idx->facets, &k, &v, 0);
	if (rc)
		return rc;
	if (u->results)
		u->results[i] = res;
	return 0;
}

static int upsert_txn(ctm_index *idx, MDB_txn *txn, void *ctx,
		      const char **what)
{
	upsert_ctx *u = ctx;
	size_t i;
	int rc;

	u->tally.n = 0; /* a retry after the map grew starts again */
	*what = "cannot count the trials by version";
	rc = ensure_counted(idx, txn);
	if (rc)
		return rc;
	for (i = 0; i < u->n; i++) {
		rc = upsert_one(idx, txn, u, i, what);
		if (rc) {
			u->failed = i;
			return rc;
		}
	}
	*what = "cannot count the trials by version";
	return tally_apply(idx, txn, &u->tally);
}

static int put_trials(ctm_index *idx, ctm_trial *const *trials, size_t n,
		      const ctm_lexicon *lx, ctm_upsert_result *results,
		      bool force, ctm_error *err)
{
	upsert_ctx u;
	facet_ctx fc;
	size_t i;
	int rc = 0;

	memset(&u, 0, sizeof u);
	u.failed = SIZE_MAX;
	if (n == 0)
		return 0;
	if (idx->flags & CTM_INDEX_READONLY)
		return ctm_error_set(err, CTM_EINVALID, idx->path, 0, 0,
				     "the index was opened read-only");
	u.p = calloc(n, sizeof(*u.p));
	if (!u.p)
		return ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
				     "out of memory");
	u.trials = trials;
	u.n = n;
	u.results = results;
	u.force = force;

	/* Everything that can be refused is refused before the txn. */
	fc.max_key = (size_t)mdb_env_get_maxkeysize(idx->env);
	for (i = 0; i < n; i++) {
		const ctm_trial *t = trials[i];
		pending *p = &u.p[i];

		if (!t || ctm_nct_parse(t->nct_id, &p->num) != 0) {
			rc = ctm_error_set(err, CTM_EINVALID, idx->path, 0, 0,
					   "trial %zu of the batch has no "
					   "valid NCT id (\"%s\"); nothing "
					   "written",
					   i + 1,
					   t && t->nct_id ? t->nct_id : "");
			ctm_error_set_field(err, "nct_id");
			goto done;
		}
		rc = ctm_record_check(t, err);
		if (rc) {
			ctm_error_set_field(err, t->nct_id);
			goto done;
		}
		rc = ctm_record_encode(t, &p->rec);
		if (rc) {
			rc = ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
					   "out of memory");
			goto done;
		}
		fc.keys = &p->keys;
		fc.bad = NULL;
		rc = ctm_trial_facets(t, lx, add_facet, &fc);
		if (rc) {
			if (fc.bad)
				rc = ctm_error_set(err, CTM_EINVALID,
						   idx->path, 0, 0,
						   "posting key \"%.80s\" is "
						   "empty or longer than %zu "
						   "bytes",
						   fc.bad, fc.max_key);
			else
				rc = ctm_error_set(err, rc, idx->path, 0, 0,
						   "cannot list the posting "
						   "keys: %s",
						   ctm_strerror(rc));
			ctm_error_set_field(err, t->nct_id);
			goto done;
		}
		p->key = trial_key((const char *)p->keys.data, p->keys.len,
				   p->num);
	}

	rc = write_txn(idx, upsert_txn, &u, err);
	if (rc && u.failed < n)
		ctm_error_set_field(err, trials[u.failed]->nct_id);
done:
	for (i = 0; i < n; i++) {
		ctm_buf_free(&u.p[i].rec);
		ctm_buf_free(&u.p[i].keys);
	}
	free(u.p);
	free(u.old);
	free(u.tally.a);
	return rc;
}

int ctm_index_upsert(ctm_index *idx, ctm_trial *const *trials, size_t n,
		     const ctm_lexicon *lx, ctm_upsert_result *results,
		     ctm_error *err)
{
	return put_trials(idx, trials, n, lx, results, false, err);
}

int ctm_index_replace(ctm_index *idx, ctm_trial *const *trials, size_t n,
		      const ctm_lexicon *lx, ctm_error *err)
{
	return put_trials(idx, trials, n, lx, NULL, true, err);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

int ctm_index_get(ctm_index *idx, const char *nct_id, ctm_trial **out,
		  ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_val k, v;
	uint32_t num;
	int rc;

	*out = NULL;
	if (ctm_nct_parse(nct_id, &num) != 0)
		return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
				     "\"%s\" is not an NCT id (NCT and 8 "
				     "digits)",
				     nct_id ? nct_id : "");
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	k = val_of(nct_id, NCT_LEN);
	rc = mdb_get(txn, idx->trials, &k, &v);
	if (rc == MDB_NOTFOUND) {
		rc = ctm_error_set(err, CTM_ENOTFOUND, idx->path, 0, 0,
				   "%s is not in the index", nct_id);
	} else if (rc) {
		rc = mdb_fail(err, rc, idx->path, "cannot read the trial");
	} else {
		/* decode copies everything out of the map */
		rc = ctm_record_decode(v.mv_data, v.mv_size, out, err);
		if (rc)
			ctm_error_set_field(err, nct_id);
	}
	txn_end(idx, txn);
	return rc;
}

int ctm_index_foreach(ctm_index *idx, ctm_trial_fn fn, void *ctx,
		      ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	ctm_trial *t;
	int rc, op = MDB_FIRST;

	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, idx->trials, &cur);
	if (rc) {
		rc = mdb_fail(err, rc, idx->path, "cannot open a cursor");
		goto done;
	}
	for (;;) {
		rc = mdb_cursor_get(cur, &k, &v, (MDB_cursor_op)op);
		op = MDB_NEXT;
		if (rc == MDB_NOTFOUND) {
			rc = 0;
			break;
		}
		if (rc) {
			rc = mdb_fail(err, rc, idx->path,
				      "cannot read the trials");
			break;
		}
		rc = ctm_record_decode(v.mv_data, v.mv_size, &t, err);
		if (rc) {
			char key[64];
			snprintf(key, sizeof key, "%.*s",
				 (int)(k.mv_size < 63 ? k.mv_size : 63),
				 (const char *)k.mv_data);
			ctm_error_set_field(err, key);
			break;
		}
		rc = fn(ctx, t);
		ctm_trial_free(t);
		if (rc)
			break;
	}
done:
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}

int ctm_index_posting(ctm_index *idx, const char *key, ctm_trial_key **ids,
		      size_t *n, ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	ctm_trial_key *out = NULL;
	size_t count = 0, got = 0, klen = key ? strlen(key) : 0;
	int rc;

	*ids = NULL;
	*n = 0;
	/* LMDB cannot hold such keys, so nothing is filed under them. */
	if (klen == 0 || klen > (size_t)mdb_env_get_maxkeysize(idx->env))
		return 0;
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, idx->post, &cur);
	if (rc)
		goto lmdb_error;
	k = val_of(key, klen);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc == 0)
		rc = mdb_cursor_count(cur, &count);
	if (rc)
		goto lmdb_error;
	out = malloc(count ? count * sizeof(*out) : 1);
	if (!out) {
		rc = ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
				   "out of memory");
		goto done;
	}
	/* A page of duplicates at a time. */
	rc = mdb_cursor_get(cur, &k, &v, MDB_GET_MULTIPLE);
	while (rc == 0) {
		size_t m = v.mv_size / sizeof(ctm_trial_key);
		if (m > count - got)
			m = count - got;
		memcpy(out + got, v.mv_data, m * sizeof(ctm_trial_key));
		got += m;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_MULTIPLE);
	}
	if (rc != MDB_NOTFOUND)
		goto lmdb_error;
	rc = 0;
	*ids = out;
	*n = got;
	out = NULL;
	goto done;

lmdb_error:
	rc = mdb_fail(err, rc, idx->path, "cannot read the posting");
done:
	free(out);
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Ingest history and statistics                                       */
/* ------------------------------------------------------------------ */

/*
 * The last ingest entry: its sequence number (0 if none) and contents.
 * Keys sort as "ingest:0000000001" < ... < "ingest;" ('; ' follows ':').
 */
static int last_ingest(ctm_index *idx, MDB_txn *txn, uint32_t *seq,
		       ctm_ingest_log *log)
{
	static const char after[] = "ingest;";
	const size_t plen = sizeof(INGEST_PREFIX) - 1;
	MDB_cursor *cur = NULL;
	MDB_val k = val_of(after, sizeof(after) - 1), v;
	const unsigned char *d;
	char digits[16];
	int rc;

	*seq = 0;
	memset(log, 0, sizeof(*log));
	rc = mdb_cursor_open(txn, idx->meta, &cur);
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == MDB_NOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc)
		goto done;
	if (k.mv_size != plen + 10 || memcmp(k.mv_data, INGEST_PREFIX, plen))
		goto done; /* no ingest entries */
	if (v.mv_size != INGEST_VALUE_SIZE) {
		rc = MDB_CORRUPTED;
		goto done;
	}
	memcpy(digits, (const char *)k.mv_data + plen, 10);
	digits[10] = '\0';
	*seq = (uint32_t)strtoul(digits, NULL, 10);
	d = v.mv_data;
	log->time = (int64_t)((uint64_t)get_le32(d) |
			      (uint64_t)get_le32(d + 4) << 32);
	log->added = get_le32(d + 8);
	log->updated = get_le32(d + 12);
	log->unchanged = get_le32(d + 16);
	log->rejected = get_le32(d + 20);
done:
	mdb_cursor_close(cur);
	return rc;
}

static int log_txn(ctm_index *idx, MDB_txn *txn, void *ctx, const char **what)
{
	const ctm_ingest_log *log = ctx;
	ctm_ingest_log prev;
	unsigned char d[INGEST_VALUE_SIZE];
	char key[32];
	uint64_t time = (uint64_t)log->time;
	uint32_t seq;
	MDB_val k, v;
	int rc;

	*what = "cannot read the ingest history";
	rc = last_ingest(idx, txn, &seq, &prev);
	if (rc)
		return rc;
	snprintf(key, sizeof key, INGEST_PREFIX "%010u", (unsigned)seq + 1);
	put_le32(d, (uint32_t)time);
	put_le32(d + 4, (uint32_t)(time >> 32));
	put_le32(d + 8, log->added);
	put_le32(d + 12, log->updated);
	put_le32(d + 16, log->unchanged);
	put_le32(d + 20, log->rejected);
	k = val_of(key, strlen(key));
	v = val_of(d, sizeof d);
	*what = "cannot write the ingest history";
	return mdb_put(txn, idx->meta, &k, &v, MDB_NOOVERWRITE);
}

int ctm_index_log_ingest(ctm_index *idx, const ctm_ingest_log *log,
			 ctm_error *err)
{
	return write_txn(idx, log_txn, (void *)log, err);
}

int ctm_index_info_get(ctm_index *idx, ctm_index_info *info, ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_stat st;
	MDB_envinfo ei;
	MDB_val k = val_of(SCHEMA_KEY, strlen(SCHEMA_KEY)), v;
	struct stat fs;
	uint32_t seq;
	char *data_p;
	int rc;

	memset(info, 0, sizeof(*info));
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_get(txn, idx->meta, &k, &v);
	if (rc == 0 && v.mv_size == 4)
		info->schema_version = get_le32(v.mv_data);
	else if (rc == 0)
		rc = MDB_CORRUPTED;
	if (rc == 0)
		rc = mdb_stat(txn, idx->trials, &st);
	if (rc == 0)
		rc = last_ingest(idx, txn, &seq, &info->last_ingest);
	if (rc == 0)
		rc = mdb_env_info(idx->env, &ei);
	txn_end(idx, txn);
	if (rc)
		return mdb_fail(err, rc, idx->path,
				"cannot read the index statistics");
	info->n_trials = st.ms_entries;
	info->n_ingests = seq; /* entries are numbered 1..seq, never removed */
	info->map_size = ei.me_mapsize;
	data_p = join_path(idx->path, "data.mdb");
	if (!data_p)
		return ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
				     "out of memory");
	if (stat(data_p, &fs) == 0)
		info->file_size = (uint64_t)fs.st_size;
	free(data_p);
	return 0;
}

/*
 * The copy: one read transaction through the gate (the snapshot LMDB
 * copies, so a writer in another process may go on), written compacted
 * (MDB_CP_COMPACT: free pages left out, each database's pages in key
 * order) to a file we create 0600 ourselves, so it is never readable by
 * others, not even for a moment. A map grown by another process
 * (MDB_MAP_RESIZED) is adopted and the copy begun again.
 */
static int copy_into(ctm_index *idx, int fd)
{
	int rc = 0, tries;

	for (tries = 0; tries < 4; tries++) {
		gate_enter(idx);
		rc = mdb_env_copyfd2(idx->env, fd, MDB_CP_COMPACT);
		gate_leave(idx);
		if (rc != MDB_MAP_RESIZED)
			break;
		if ((rc = gate_resize(idx, 0)) != 0)
			break;
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
			return errno;
		rc = MDB_MAP_RESIZED;
	}
	return rc;
}

int ctm_index_copy(ctm_index *idx, const char *dest, ctm_error *err)
{
	char *data_p = NULL;
	bool made_dir = false, made_data = false;
	int fd = -1, rc = 0;

	if (!dest || !*dest)
		return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
				     "no path given for the copy");
	data_p = join_path(dest, "data.mdb");
	if (!data_p)
		return ctm_error_set(err, CTM_ENOMEM, dest, 0, 0,
				     "out of memory");
	/* an existing path (a directory, a file, a link) is never written
	 * over: mkdir refuses it. chmod: mkdir's mode is cut by the umask. */
	if (mkdir(dest, 0700) != 0) {
		rc = errno == EEXIST
			     ? ctm_error_set(err, CTM_EIO, dest, 0, 0,
					     "%s exists; give a new path", dest)
			     : ctm_error_set(err, CTM_EIO, dest, 0, 0,
					     "cannot create %s: %s", dest,
					     strerror(errno));
		goto done;
	}
	made_dir = true;
	if (chmod(dest, 0700) != 0) {
		rc = ctm_error_set(err, CTM_EIO, dest, 0, 0,
				   "cannot set the mode of %s: %s", dest,
				   strerror(errno));
		goto done;
	}
	fd = open(data_p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		made_data = true;
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		rc = ctm_error_set(err, CTM_EIO, dest, 0, 0,
				   "cannot create %s: %s", data_p,
				   strerror(errno));
		goto done;
	}
	rc = copy_into(idx, fd);
	if (rc == ENOSPC || rc == EIO || rc == EFBIG) {
		rc = ctm_error_set(err, CTM_EIO, dest, 0, 0,
				   "cannot write the copy %s: %s", dest,
				   strerror(rc));
		goto done;
	}
	if (rc) {
		rc = ctm_error_set(err, rc == ENOMEM ? CTM_ENOMEM : CTM_EINDEX,
				   idx->path, 0, 0,
				   "cannot copy the index %s to %s: %s",
				   idx->path, dest, mdb_strerror(rc));
		goto done;
	}
	if (fsync(fd) != 0) {
		rc = ctm_error_set(err, CTM_EIO, dest, 0, 0,
				   "cannot write the copy %s: %s", dest,
				   strerror(errno));
		goto done;
	}
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = ctm_error_set(err, CTM_EIO, dest, 0, 0,
				   "cannot write the copy %s: %s", dest,
				   strerror(errno));
	if (rc && made_data)
		unlink(data_p);
	if (rc && made_dir)
		rmdir(dest);
	free(data_p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Readers: one read transaction for many gets                         */
/* ------------------------------------------------------------------ */

struct ctm_index_reader {
	ctm_index *idx;
	MDB_txn *txn;
	/* on the match parts: a get of a key on the leaf the cursor is on
	 * costs no descent from the root, and candidates come in key order */
	MDB_cursor *match;
	bool match_on; /* the cursor is on the key last got */
};

/* The match part under key, through the reader's cursor. */
static int match_get(ctm_index_reader *r, ctm_trial_key *key, MDB_val *v)
{
	MDB_val k = val_of(key, sizeof *key);
	int rc;

	if (!r->match) {
		rc = mdb_cursor_open(r->txn, r->idx->match, &r->match);
		if (rc) {
			r->match = NULL;
			return rc;
		}
	}
	/* the trials of a cluster are filed together, so the next
	 * candidate is most often the next key (7 in 10 of a lookup's):
	 * a step is cheaper than a search, even on the same leaf */
	if (r->match_on) {
		MDB_val nk;
		if (mdb_cursor_get(r->match, &nk, v, MDB_NEXT) == 0 &&
		    nk.mv_size == k.mv_size &&
		    !memcmp(nk.mv_data, k.mv_data, k.mv_size))
			return 0;
	}
	rc = mdb_cursor_get(r->match, &k, v, MDB_SET_KEY);
	r->match_on = rc == 0;
	return rc;
}

int ctm_index_reader_begin(ctm_index *idx, ctm_index_reader **out,
			   ctm_error *err)
{
	ctm_index_reader *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
				     "out of memory");
	rc = read_txn(idx, &r->txn, err);
	if (rc) {
		free(r);
		return rc;
	}
	r->idx = idx;
	*out = r;
	return 0;
}

void ctm_index_reader_end(ctm_index_reader *r)
{
	if (!r)
		return;
	if (r->match)
		mdb_cursor_close(r->match);
	txn_end(r->idx, r->txn);
	free(r);
}

int ctm_index_reader_get(ctm_index_reader *r, uint32_t nct_num,
			 ctm_trial **out, ctm_error *err)
{
	return ctm_index_reader_get_flags(r, nct_num, 0, out, err);
}

int ctm_index_reader_get_flags(ctm_index_reader *r, uint32_t nct_num,
			       unsigned flags, ctm_trial **out,
			       ctm_error *err)
{
	return ctm_index_reader_get_in(r, nct_num, flags, NULL, out, err);
}

int ctm_index_reader_get_in(ctm_index_reader *r, uint32_t nct_num,
			    unsigned flags, ctm_arena *arena, ctm_trial **out,
			    ctm_error *err)
{
	ctm_trial_key key = nct_num;

	if (flags & CTM_DECODE_MINIMAL) {
		/* the trial key from the facets the trial was filed under */
		char id[12];
		MDB_val k, v;
		int rc;

		*out = NULL;
		ctm_nct_format(nct_num, id);
		k = val_of(id, NCT_LEN);
		rc = mdb_get(r->txn, r->idx->facets, &k, &v);
		if (rc == MDB_NOTFOUND)
			return ctm_error_set(err, CTM_ENOTFOUND, r->idx->path,
					     0, 0, "%s is not in the index", id);
		if (rc)
			return mdb_fail(err, rc, r->idx->path,
					"cannot read the trial");
		key = trial_key(v.mv_data, v.mv_size, nct_num);
	}
	return ctm_index_reader_get_key(r, key, flags, arena, out, err);
}

int ctm_index_reader_get_key(ctm_index_reader *r, ctm_trial_key key,
			     unsigned flags, ctm_arena *arena, ctm_trial **out,
			     ctm_error *err)
{
	char id[12];
	MDB_val k, v;
	int rc;

	*out = NULL;
	if (flags & CTM_DECODE_MINIMAL) {
		rc = match_get(r, &key, &v);
	} else {
		ctm_nct_format(ctm_trial_key_nct(key), id);
		k = val_of(id, NCT_LEN);
		rc = mdb_get(r->txn, r->idx->trials, &k, &v);
	}
	if (rc == 0)
		rc = ctm_record_decode_in(v.mv_data, v.mv_size, flags, arena,
					  out, err);
	else if (rc != MDB_NOTFOUND)
		return mdb_fail(err, rc, r->idx->path, "cannot read the trial");
	if (rc == 0)
		return 0;
	ctm_nct_format(ctm_trial_key_nct(key), id);
	if (rc == MDB_NOTFOUND)
		return ctm_error_set(err, CTM_ENOTFOUND, r->idx->path, 0, 0,
				     "%s is not in the index", id);
	ctm_error_set_field(err, id);
	return rc;
}

int ctm_index_reader_get_lazy(ctm_index_reader *r, ctm_trial_key key,
			      ctm_arena *arena, ctm_trial **out, ctm_lazy *lz,
			      ctm_error *err)
{
	char id[12];
	MDB_val v;
	int rc;

	*out = NULL;
	rc = match_get(r, &key, &v);
	if (rc == MDB_NOTFOUND || rc) {
		ctm_nct_format(ctm_trial_key_nct(key), id);
		if (rc == MDB_NOTFOUND)
			return ctm_error_set(err, CTM_ENOTFOUND, r->idx->path, 0,
					     0, "%s is not in the index", id);
		return mdb_fail(err, rc, r->idx->path, "cannot read the trial");
	}
	rc = ctm_record_decode_lazy(v.mv_data, v.mv_size, arena, out, lz, err);
	if (rc) {
		ctm_nct_format(ctm_trial_key_nct(key), id);
		ctm_error_set_field(err, id);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Batch runs and their stored result lists                            */
/* ------------------------------------------------------------------ */

/*
 * A run record: int64 started, int64 finished (0 while running), uint32
 * patients, then the identity string (no NUL). Little-endian. Run ids
 * count up from 1; keys are big-endian so they sort by id.
 */
#define RUN_FIXED 20

static void put_be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int run_decode(const MDB_val *k, const MDB_val *v, ctm_run *run)
{
	const unsigned char *d = v->mv_data;
	size_t n;

	if (k->mv_size != 8 || v->mv_size < RUN_FIXED)
		return MDB_CORRUPTED;
	memset(run, 0, sizeof(*run));
	run->id = get_be64(k->mv_data);
	run->started = (int64_t)get_le64(d);
	run->finished = (int64_t)get_le64(d + 8);
	run->patients = get_le32(d + 16);
	n = v->mv_size - RUN_FIXED;
	if (n >= sizeof(run->identity))
		n = sizeof(run->identity) - 1;
	memcpy(run->identity, d + RUN_FIXED, n);
	run->identity[n] = '\0';
	return 0;
}

static int run_put(ctm_index *idx, MDB_txn *txn, const ctm_run *run)
{
	unsigned char key[8], val[RUN_FIXED + sizeof(run->identity)];
	size_t n = strlen(run->identity);
	MDB_val k, v;

	put_be64(key, run->id);
	put_le64(val, (uint64_t)run->started);
	put_le64(val + 8, (uint64_t)run->finished);
	put_le32(val + 16, run->patients);
	memcpy(val + RUN_FIXED, run->identity, n);
	k = val_of(key, 8);
	v = val_of(val, RUN_FIXED + n);
	return mdb_put(txn, idx->runs, &k, &v, 0);
}

typedef struct run_open_ctx {
	const char *identity;
	int64_t now;
	ctm_run *run;
	bool resumed;
} run_open_ctx;

static int run_open_txn(ctm_index *idx, MDB_txn *txn, void *ctx,
			const char **what)
{
	run_open_ctx *c = ctx;
	MDB_cursor *cur;
	MDB_val k, v;
	ctm_run last;
	int rc;

	*what = "cannot read the batch runs";
	c->resumed = false;
	rc = mdb_cursor_open(txn, idx->runs, &cur);
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	memset(&last, 0, sizeof(last));
	if (rc == 0)
		rc = run_decode(&k, &v, &last);
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	if (rc)
		return rc;
	if (last.id && !last.finished &&
	    !strcmp(last.identity, c->identity)) {
		*c->run = last;
		c->resumed = true;
		return 0;
	}
	memset(c->run, 0, sizeof(*c->run));
	c->run->id = last.id + 1;
	c->run->started = c->now;
	snprintf(c->run->identity, sizeof(c->run->identity), "%s",
		 c->identity);
	*what = "cannot store the batch run";
	return run_put(idx, txn, c->run);
}

int ctm_index_run_open(ctm_index *idx, const char *identity, int64_t now,
		       ctm_run *run, bool *resumed, ctm_error *err)
{
	run_open_ctx c = {identity, now, run, false};
	int rc;

	if (strlen(identity) >= sizeof(run->identity))
		return ctm_error_set(err, CTM_EINVALID, idx->path, 0, 0,
				     "run identity longer than %zu bytes",
				     sizeof(run->identity) - 1);
	rc = write_txn(idx, run_open_txn, &c, err);
	if (rc == 0 && resumed)
		*resumed = c.resumed;
	return rc;
}

typedef struct run_finish_ctx {
	uint64_t id;
	int64_t now;
	uint32_t patients;
} run_finish_ctx;

static int run_finish_txn(ctm_index *idx, MDB_txn *txn, void *ctx,
			  const char **what)
{
	run_finish_ctx *c = ctx;
	unsigned char key[8];
	MDB_val k, v;
	ctm_run run;
	int rc;

	*what = "cannot finish the batch run";
	put_be64(key, c->id);
	k = val_of(key, 8);
	rc = mdb_get(txn, idx->runs, &k, &v);
	if (rc == 0)
		rc = run_decode(&k, &v, &run);
	if (rc)
		return rc;
	run.finished = c->now;
	run.patients = c->patients;
	return run_put(idx, txn, &run);
}

int ctm_index_run_finish(ctm_index *idx, uint64_t run_id, int64_t now,
			 uint32_t patients, ctm_error *err)
{
	run_finish_ctx c = {run_id, now, patients};

	return write_txn(idx, run_finish_txn, &c, err);
}

int ctm_index_run_previous(ctm_index *idx, uint64_t before, ctm_run *out,
			   ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	unsigned char key[8];
	int rc, op;

	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, idx->runs, &cur);
	if (rc)
		goto lmdb_error;
	if (before == 0) {
		op = MDB_LAST;
	} else {
		/* the first run at or after `before`, then step back */
		put_be64(key, before);
		k = val_of(key, 8);
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		op = rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV;
		if (rc && rc != MDB_NOTFOUND)
			goto lmdb_error;
	}
	for (;;) {
		rc = mdb_cursor_get(cur, &k, &v, (MDB_cursor_op)op);
		if (rc == MDB_NOTFOUND) {
			rc = ctm_error_set(err, CTM_ENOTFOUND, idx->path, 0, 0,
					   "no finished batch run");
			goto done;
		}
		if (rc == 0)
			rc = run_decode(&k, &v, out);
		if (rc)
			goto lmdb_error;
		if (out->finished && (before == 0 || out->id < before))
			break;
		op = MDB_PREV;
	}
	goto done;
lmdb_error:
	rc = mdb_fail(err, rc, idx->path, "cannot read the batch runs");
done:
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}

static int result_key(unsigned char *key, size_t cap, uint64_t run,
		      const char *patient, size_t *len)
{
	size_t n = strlen(patient);

	if (8 + n > cap || n == 0)
		return -1;
	put_be64(key, run);
	memcpy(key + 8, patient, n);
	*len = 8 + n;
	return 0;
}

typedef struct results_ctx {
	uint64_t run;
	const ctm_result_put *items;
	size_t n;
} results_ctx;

static int results_txn(ctm_index *idx, MDB_txn *txn, void *ctx,
		       const char **what)
{
	results_ctx *c = ctx;
	unsigned char key[512];
	size_t i, klen;
	int rc;

	*what = "cannot store batch results";
	for (i = 0; i < c->n; i++) {
		MDB_val k, v;
		if (result_key(key, sizeof(key), c->run, c->items[i].patient,
			       &klen))
			return EINVAL;
		k = val_of(key, klen);
		v = val_of(c->items[i].data, c->items[i].len);
		rc = mdb_put(txn, idx->results, &k, &v, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int ctm_index_results_put(ctm_index *idx, uint64_t run,
			  const ctm_result_put *items, size_t n,
			  ctm_error *err)
{
	results_ctx c = {run, items, n};
	size_t i;

	for (i = 0; i < n; i++)
		if (!items[i].patient || !*items[i].patient ||
		    strlen(items[i].patient) > 400)
			return ctm_error_set(err, CTM_EINVALID, idx->path, 0,
					     0,
					     "a patient id must be 1 to 400 "
					     "bytes");
	return write_txn(idx, results_txn, &c, err);
}

int ctm_index_result_get(ctm_index *idx, uint64_t run, const char *patient,
			 void **data, size_t *len, ctm_error *err)
{
	unsigned char key[512];
	MDB_txn *txn = NULL;
	MDB_val k, v;
	size_t klen;
	int rc;

	*data = NULL;
	*len = 0;
	if (result_key(key, sizeof(key), run, patient, &klen))
		return ctm_error_set(err, CTM_ENOTFOUND, idx->path, 0, 0,
				     "no result for that patient");
	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	k = val_of(key, klen);
	rc = mdb_get(txn, idx->results, &k, &v);
	if (rc == MDB_NOTFOUND) {
		rc = ctm_error_set(err, CTM_ENOTFOUND, idx->path, 0, 0,
				   "no stored result for patient %s in run "
				   "%llu",
				   patient, (unsigned long long)run);
	} else if (rc) {
		rc = mdb_fail(err, rc, idx->path, "cannot read a result");
	} else {
		*data = malloc(v.mv_size ? v.mv_size : 1);
		if (!*data) {
			rc = ctm_error_set(err, CTM_ENOMEM, idx->path, 0, 0,
					   "out of memory");
		} else {
			memcpy(*data, v.mv_data, v.mv_size);
			*len = v.mv_size;
		}
	}
	txn_end(idx, txn);
	return rc;
}

int ctm_index_results_foreach(ctm_index *idx, uint64_t run,
			      ctm_result_fn fn, void *ctx, ctm_error *err)
{
	MDB_txn *txn = NULL;
	MDB_cursor *cur = NULL;
	unsigned char key[8];
	char patient[512];
	MDB_val k, v;
	int rc;

	rc = read_txn(idx, &txn, err);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, idx->results, &cur);
	if (rc) {
		rc = mdb_fail(err, rc, idx->path, "cannot read results");
		goto done;
	}
	put_be64(key, run);
	k = val_of(key, 8);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0) {
		size_t n;
		if (k.mv_size <= 8 || get_be64(k.mv_data) != run)
			break;
		n = k.mv_size - 8 < sizeof(patient) - 1 ? k.mv_size - 8
							: sizeof(patient) - 1;
		memcpy(patient, (const char *)k.mv_data + 8, n);
		patient[n] = '\0';
		rc = fn(ctx, patient, v.mv_data, v.mv_size);
		if (rc)
			goto done;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	if (rc == MDB_NOTFOUND || rc == 0)
		rc = 0;
	else
		rc = mdb_fail(err, rc, idx->path, "cannot read results");
done:
	if (cur)
		mdb_cursor_close(cur);
	txn_end(idx, txn);
	return rc;
}
