// A batch of demo signals as the borrowed hearth_signal structs hearth_runtime_ingest takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <hearth/host.h>

#include "demo/demo_data.hpp"

namespace hearth::demo {

// Owns the texts of signals [begin, end) of a neighbourhood and the structs pointing at
// them; valid while it lives. Not copyable: the structs point into it.
class SignalBatch {
public:
  SignalBatch(const DemoNeighbourhood &neighbourhood, std::size_t begin, std::size_t end);
  SignalBatch(const SignalBatch &) = delete;
  SignalBatch &operator=(const SignalBatch &) = delete;

  // The array to pass to hearth_runtime_ingest.
  const hearth_signal *const *pointers() const { return pointers_.data(); }
  // The number of signals.
  std::uint32_t size() const { return static_cast<std::uint32_t>(signals_.size()); }

private:
  // Keeps `text` alive and returns a pointer to it (a deque never moves its elements).
  const char *keep(std::string text);

  std::deque<std::string> texts_;
  std::vector<hearth_signal> signals_;
  std::vector<const hearth_signal *> pointers_;
};

} // namespace hearth::demo
