// Ownership of text that libhearth returns through `char **`.
#pragma once

#include <cstdint>
#include <string>

namespace hearth::cli {

// Holds one text allocated by libhearth and frees it with hearth_free().
class HearthText {
public:
  HearthText() = default;
  ~HearthText();
  HearthText(const HearthText &) = delete;
  HearthText &operator=(const HearthText &) = delete;

  // The slot to pass as a `char **` out-parameter. Frees any text held before.
  char **out();
  // True when the library set a text.
  bool present() const noexcept { return text_ != nullptr; }
  // The text, or "" when none was set.
  std::string str() const;

private:
  char *text_ = nullptr;
};

// The message to show for a failed call: the library's `error` text when it gave one,
// else the status name.
std::string failure_message(std::int32_t status, const HearthText &error);

} // namespace hearth::cli
