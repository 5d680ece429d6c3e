// The wire format between the runtime and a plugin's child process (hearth-plugin-host):
// frames of a 4-byte big-endian length followed by that many bytes of one JSON object.
// Both sides use these functions on their end of a socketpair.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include <Poco/JSON/Object.h>

namespace hearth::isolation {

// The largest frame either side accepts: a larger length means the stream is corrupt.
constexpr std::uint32_t kMaxFrameBytes = 64u << 20;

// Thrown when the other side closed its end (or died) before a whole frame was moved.
class ChannelClosed : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Thrown for a frame that is not a JSON object or is larger than kMaxFrameBytes.
class ProtocolError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Writes `message` as one frame to the socket `fd` (send with MSG_NOSIGNAL, so a dead peer
// raises ChannelClosed rather than SIGPIPE). The caller serialises writers. Blocking.
void write_frame(int fd, const Poco::JSON::Object &message);

// Reads one frame from `fd`. With a `deadline`, returns nullptr when it passes before the
// frame's first byte arrived (a frame once started is read to its end). Throws
// ChannelClosed at end of stream, ProtocolError for a bad frame. The caller serialises
// readers.
Poco::JSON::Object::Ptr read_frame(int fd,
                                   std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

} // namespace hearth::isolation
