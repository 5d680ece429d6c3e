// Turning C++ failures into the C boundary's status codes and messages.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hearth::runtime {

// Copies `message` into memory the caller frees with hearth_free()/host->free (both are
// free()). Does nothing when `error` is NULL.
inline void set_error(char **error, const std::string &message) {
  if (error == nullptr) {
    return;
  }
  char *copy = static_cast<char *>(std::malloc(message.size() + 1));
  if (copy != nullptr) {
    std::memcpy(copy, message.c_str(), message.size() + 1);
  }
  *error = copy;
}

// Copies `text` into memory the caller frees with hearth_free(). Returns NULL on failure.
inline char *copy_out(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy != nullptr) {
    std::memcpy(copy, text.c_str(), text.size() + 1);
  }
  return copy;
}

// Maps the exception now being handled to a status, writing its message to *error.
// Call only from inside a catch block.
std::int32_t status_from_current_exception(char **error);

} // namespace hearth::runtime
