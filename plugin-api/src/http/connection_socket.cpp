#include "http/connection_socket.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <new>

#include <Poco/Net/NetException.h>

namespace hearth::http {

namespace {

// `timeout` in whole milliseconds for poll(2), rounded up so that a wait of a few
// microseconds still waits, and capped at what an int holds.
int milliseconds_of(const Poco::Timespan &timeout) {
  const Poco::Timespan::TimeDiff microseconds = timeout.totalMicroseconds();
  if (microseconds <= 0) {
    return 0;
  }
  const Poco::Timespan::TimeDiff milliseconds = (microseconds + 999) / 1000;
  return milliseconds > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                        : static_cast<int>(milliseconds);
}

} // namespace

ConnectionSocketImpl::ConnectionSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress &peer)
    : Poco::Net::StreamSocketImpl(fd), peer_(peer), local_(Poco::Net::StreamSocketImpl::address()) {}

void ConnectionSocketImpl::end_answer() noexcept {
  if (answer_bytes_left_ == 0) {
    return;
  }
  answer_bytes_left_ = 0;
  // Setting TCP_NODELAY (already on: Poco's server sets it) pushes what is held back.
  const int on = 1;
  (void)::setsockopt(sockfd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

int ConnectionSocketImpl::sendBytes(const void *buffer, int length, int flags) {
  if (length > 0 && answer_bytes_left_ > static_cast<std::size_t>(length)) {
    flags |= MSG_MORE;
  }
  const int sent = StreamSocketImpl::sendBytes(buffer, length, flags);
  if (sent > 0) {
    answer_bytes_left_ -= std::min(answer_bytes_left_, static_cast<std::size_t>(sent));
  }
  return sent;
}

bool ConnectionSocketImpl::poll(const Poco::Timespan &timeout, int mode) {
  const poco_socket_t fd = sockfd();
  if (fd == POCO_INVALID_SOCKET) {
    throw Poco::Net::InvalidSocketException();
  }
  pollfd wanted{};
  wanted.fd = fd;
  if ((mode & Poco::Net::Socket::SELECT_READ) != 0) {
    wanted.events |= POLLIN;
  }
  if ((mode & Poco::Net::Socket::SELECT_WRITE) != 0) {
    wanted.events |= POLLOUT;
  }
  if ((mode & Poco::Net::Socket::SELECT_ERROR) != 0) {
    wanted.events |= POLLPRI; // errors and hang-ups are always reported
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(timeout.totalMicroseconds());
  int waited_ms = milliseconds_of(timeout);
  for (;;) {
    wanted.revents = 0;
    const int ready = ::poll(&wanted, 1, waited_ms);
    if (ready >= 0) {
      return ready > 0;
    }
    if (errno != EINTR) {
      error(); // throws the Poco exception for errno
    }
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    waited_ms = milliseconds_of(Poco::Timespan(left.count() > 0 ? left.count() : 0));
  }
}

Poco::Net::SocketAddress ConnectionSocketImpl::peerAddress() { return peer_; }

Poco::Net::SocketAddress ConnectionSocketImpl::address() { return local_; }

Poco::Net::SocketImpl *ConnectionServerSocketImpl::acceptConnection(Poco::Net::SocketAddress &client) {
  const poco_socket_t listening = sockfd();
  if (listening == POCO_INVALID_SOCKET) {
    throw Poco::Net::InvalidSocketException();
  }
  sockaddr_storage buffer{};
  for (;;) {
    socklen_t length = sizeof buffer;
    const int fd = ::accept4(listening, reinterpret_cast<sockaddr *>(&buffer), &length, SOCK_CLOEXEC);
    if (fd >= 0) {
      Poco::Net::SocketAddress peer;
      try {
        peer = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr *>(&buffer), length);
      } catch (...) {
        ::close(fd); // nobody owns fd yet
        throw;
      }
      // Owns fd from here on; should its constructor throw, its base has closed fd.
      auto *connection = new (std::nothrow) ConnectionSocketImpl(fd, peer);
      if (connection == nullptr) {
        ::close(fd);
        throw std::bad_alloc();
      }
      client = peer;
      return connection;
    }
    if (errno != EINTR) {
      error(); // throws the Poco exception for errno
    }
  }
}

ConnectionServerSocket::ConnectionServerSocket() : Poco::Net::ServerSocket(new ConnectionServerSocketImpl, true) {}

} // namespace hearth::http
