#include "runtime/errors.hpp"

#include <exception>
#include <stdexcept>

#include "hearth/status.h"
#include "runtime/config.hpp"
#include "storage/store.hpp"

namespace hearth::runtime {

std::int32_t status_from_current_exception(char **error) {
  try {
    throw;
  } catch (const storage::StorageError &e) {
    set_error(error, e.what());
    switch (e.kind()) {
    case storage::StorageError::Kind::invalid_argument: return HEARTH_ERROR_INVALID_ARGUMENT;
    case storage::StorageError::Kind::conflict: return HEARTH_ERROR_CONFLICT;
    case storage::StorageError::Kind::version: return HEARTH_ERROR_VERSION;
    case storage::StorageError::Kind::io: return HEARTH_ERROR_IO;
    }
    return HEARTH_ERROR_IO;
  } catch (const ConfigError &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_INVALID_ARGUMENT;
  } catch (const std::invalid_argument &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_INVALID_ARGUMENT;
  } catch (const std::exception &e) {
    set_error(error, e.what());
    return HEARTH_ERROR_INTERNAL;
  } catch (...) {
    set_error(error, "unknown exception");
    return HEARTH_ERROR_INTERNAL;
  }
}

} // namespace hearth::runtime
