// Ownership of text that libhearth returns.
#include "hearth_text.hpp"

#include <hearth/host.h>

namespace hearth::cli {

HearthText::~HearthText() { hearth_free(text_); }

char **HearthText::out() {
  hearth_free(text_);
  text_ = nullptr;
  return &text_;
}

std::string HearthText::str() const { return text_ == nullptr ? std::string() : text_; }

std::string failure_message(std::int32_t status, const HearthText &error) {
  if (error.present() && !error.str().empty()) {
    return error.str();
  }
  return hearth_status_name(status);
}

} // namespace hearth::cli
