/*
 * hearth/status.h — status codes returned at the boundary. Since 1.0.
 *
 * Every function of the ABI that can fail returns one of these as an int32_t. Values are
 * stable: a code is never renumbered, new codes are added with new numbers, and a caller
 * treats an unknown negative code like HEARTH_ERROR_INTERNAL.
 */
#ifndef HEARTH_STATUS_H
#define HEARTH_STATUS_H

#include <stdint.h>

enum hearth_status {
  HEARTH_OK = 0,
  /* An argument is missing or malformed; the message names the field and the reason. */
  HEARTH_ERROR_INVALID_ARGUMENT = -1,
  /* The thing asked for does not exist, or the caller may not know that it exists. */
  HEARTH_ERROR_NOT_FOUND = -2,
  /* The policy refused the action. */
  HEARTH_ERROR_DENIED = -3,
  /* The action conflicts with the current state (duplicate id, wrong state). */
  HEARTH_ERROR_CONFLICT = -4,
  /* Versions do not match (ABI, schema, migration). */
  HEARTH_ERROR_VERSION = -5,
  /* Storage, file or network failed. */
  HEARTH_ERROR_IO = -6,
  /* The function or feature is not available here. */
  HEARTH_ERROR_UNSUPPORTED = -7,
  /* A plugin's call failed or threw; the message says which plugin. */
  HEARTH_ERROR_PLUGIN = -8,
  /* The runtime is closing or was not started. */
  HEARTH_ERROR_STATE = -9,
  /* A wait ran out of time. */
  HEARTH_ERROR_TIMEOUT = -10,
  /* A bug: an invariant did not hold. */
  HEARTH_ERROR_INTERNAL = -99
};

#endif /* HEARTH_STATUS_H */
