/* shards.h: a scenario's points spread over several runs, and the shards
 * joined.
 *
 * harness-run --shard K/N measures only the points i (counted from 0)
 * with i % N == K - 1, on whatever machine runs it, and writes a results
 * file like any other whose runs, point summaries and skipped points are
 * those of its points, with one key more:
 *
 *   "shard": {"index": K, "count": N, "points": [i, ...]}
 *
 * harness-run --merge-shards joins the N shards of one scenario into the
 * file that one harness-run of it would have written: runs, point
 * summaries and skipped points in the points' order (the summaries' run
 * indexes renumbered), "shard" gone, and each shard's environment kept in
 * environment.shards. It refuses, naming what differs, shards of
 * different scenarios or of different versions of one scenario file,
 * shards made on different kernels or harness versions (one file says
 * one kernel), a shard given twice or two that hold the same point, and
 * a set that misses a shard. */
#ifndef HARNESS_SHARDS_H
#define HARNESS_SHARDS_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Shard index (from 1) of count; count 0: no shard, every point. */
struct shard {
    long long index, count;
};

/* Reads "K/N" (1 <= K <= N): 0, or -EINVAL with err saying why. */
int shard_parse(const char *text, struct shard *shard, struct hl_error *err);

/* 1 when the shard holds point (from 0): every point when shard->count is 0. */
int shard_holds(const struct shard *shard, size_t point);

/* The results' "shard" object for a scenario of point_count points (new
 * reference). */
json_t *shard_describe(const struct shard *shard, size_t point_count);

/* Joins the shards at paths into one results object (new reference in
 * *results). -EINVAL with err naming the file and what differs, or what
 * is missing; -ENOENT for a file that cannot be read. */
int shards_merge(char *const *paths, size_t count, json_t **results, struct hl_error *err);

#endif
