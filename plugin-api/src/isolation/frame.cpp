#include "isolation/frame.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

namespace hearth::isolation {
namespace {

void send_all(int fd, const char *data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      throw ChannelClosed(std::string("the other side is gone: ") + std::strerror(errno));
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

// Waits until `fd` is readable; false when `deadline` passed first.
bool wait_readable(int fd, std::optional<std::chrono::steady_clock::time_point> deadline) {
  for (;;) {
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      timeout_ms = left.count() > 0 ? static_cast<int>(left.count()) : 0;
    }
    pollfd readable{fd, POLLIN, 0};
    const int ready = ::poll(&readable, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready < 0) {
      throw ChannelClosed(std::string("cannot wait for the other side: ") + std::strerror(errno));
    }
    return ready > 0;
  }
}

void receive_all(int fd, char *data, std::size_t size) {
  while (size > 0) {
    const ssize_t count = ::recv(fd, data, size, 0);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count == 0) {
      throw ChannelClosed("the other side closed the connection");
    }
    if (count < 0) {
      throw ChannelClosed(std::string("cannot read from the other side: ") + std::strerror(errno));
    }
    data += count;
    size -= static_cast<std::size_t>(count);
  }
}

} // namespace

void write_frame(int fd, const Poco::JSON::Object &message) {
  std::ostringstream text;
  Poco::JSON::Stringifier::condense(message, text);
  const std::string body = text.str();
  if (body.size() > kMaxFrameBytes) {
    throw ProtocolError("a frame of " + std::to_string(body.size()) + " bytes is over the limit of " +
                        std::to_string(kMaxFrameBytes));
  }
  const auto size = static_cast<std::uint32_t>(body.size());
  std::string frame;
  frame.reserve(4 + body.size());
  frame.push_back(static_cast<char>((size >> 24) & 0xffu));
  frame.push_back(static_cast<char>((size >> 16) & 0xffu));
  frame.push_back(static_cast<char>((size >> 8) & 0xffu));
  frame.push_back(static_cast<char>(size & 0xffu));
  frame += body;
  send_all(fd, frame.data(), frame.size());
}

Poco::JSON::Object::Ptr read_frame(int fd, std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!wait_readable(fd, deadline)) {
    return nullptr;
  }
  unsigned char header[4];
  receive_all(fd, reinterpret_cast<char *>(header), sizeof header);
  const std::uint32_t size = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                             (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
  if (size > kMaxFrameBytes) {
    throw ProtocolError("a frame announces " + std::to_string(size) + " bytes, over the limit of " +
                        std::to_string(kMaxFrameBytes));
  }
  std::string body(size, '\0');
  receive_all(fd, body.data(), body.size());
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      throw ProtocolError("a frame is not a JSON object");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception &failure) {
    throw ProtocolError("a frame is not valid JSON: " + failure.displayText());
  }
}

} // namespace hearth::isolation
