// A one-line progress bar on standard error, drawn only when standard error is a terminal
// ("[#########...........]  9/20 parts"); silent otherwise, so logs and pipes stay clean.
#pragma once

#include <cstddef>
#include <string>

namespace hearth::cli {

class ProgressBar {
public:
  // `what` names the unit ("parts").
  ProgressBar(std::size_t total, std::string what);
  // Redraws with `done` of the total finished.
  void update(std::size_t done);
  // Ends the line (when drawn).
  void finish();

private:
  std::size_t total_;
  std::string what_;
  bool enabled_;
};

} // namespace hearth::cli
