/*
 * record.h - private helpers of the record codec, shared with index.c.
 *
 * A record is a fixed header followed by a varint-coded body:
 *
 *   offset 0  4 bytes  magic "CTMR"
 *   offset 4  1 byte   format version (CTM_RECORD_VERSION)
 *   offset 5  4 bytes  last_update, int32 little-endian
 *   offset 9  ...      the body (see record.c)
 *
 * last_update sits at a fixed offset so that an upsert can compare dates
 * without decoding the stored record.
 */
#ifndef CTM_INDEX_RECORD_H
#define CTM_INDEX_RECORD_H

#include <ctm/index.h>

#define CTM_RECORD_MAGIC "CTMR"
#define CTM_RECORD_VERSION 4
#define CTM_RECORD_HEADER_SIZE 9

/*
 * Reads last_update from a record's header only. CTM_EPARSE if the data is
 * too short or not a record, CTM_EVERSION for another record version.
 */
int ctm_record_last_update(const void *data, size_t len, int32_t *out);

/*
 * Reads the version of the trial's reading (ctm_trial.lexicon_hash) from
 * the start of the match part, decoding nothing else. CTM_EPARSE if the
 * record is too short or corrupt there.
 */
int ctm_record_version(const void *data, size_t len, uint64_t *out);

/*
 * The bytes of a record up to the end of its match part (header, length
 * and match part): a record of its own that a CTM_DECODE_MINIMAL decode
 * reads whole. len itself if the record is too short to say.
 */
size_t ctm_record_match_size(const void *data, size_t len);

/*
 * Checks what the decoder would refuse in t: enumerations out of range,
 * expression trees that are not one well-formed prefix tree, leaves that
 * name a constraint that does not exist. Returns 0 or CTM_EINVALID with
 * err saying which criterion and why.
 */
int ctm_record_check(const ctm_trial *t, ctm_error *err);

#endif
