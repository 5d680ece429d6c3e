// The listening socket of Hearth's HTTP server, whose accepted connections cost fewer
// system calls per kept-alive request than Poco's own (docs/adr/0014-connection-socket.md).
//
// Poco's HTTPServerConnection waits for the next request on a connection with
// Socket::poll(). Poco 1.11 implements that with a new epoll instance on every call
// (epoll_create, epoll_ctl, epoll_wait, close), and every request asks the kernel for both
// ends' addresses again (getpeername, getsockname): eight system calls for a small
// kept-alive request where three do the work. The connections this socket accepts wait
// with poll(2) on their one descriptor and remember both addresses from the accept.
// Everything of HTTP itself (reading requests, writing responses, keep-alive rules,
// timeouts) stays Poco's: only these three socket operations are replaced.
#pragma once

#include <cstddef>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Timespan.h>

namespace hearth::http {

// A connected TCP socket as accepted by ConnectionServerSocket.
class ConnectionSocketImpl : public Poco::Net::StreamSocketImpl {
public:
  // Takes ownership of the connected descriptor `fd`; `peer` is the address accept() gave.
  // Reads the local address once (getsockname). Throws Poco::Net::NetException when the
  // descriptor is not a socket.
  ConnectionSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress &peer);

  // Waits up to `timeout` until the socket is ready for `mode` (Poco's SELECT_READ,
  // SELECT_WRITE, SELECT_ERROR bits) with poll(2); true when it is ready or the connection
  // failed or was closed (the next read then tells which), false on timeout. Interrupted
  // waits continue for the rest of the time. [the connection's thread]
  bool poll(const Poco::Timespan &timeout, int mode) override;
  // The peer's address from the accept (a connected socket's ends never change).
  Poco::Net::SocketAddress peerAddress() override;
  // The local address read when the connection was accepted.
  Poco::Net::SocketAddress address() override;

  // Announces that the next `bytes` bytes sent on this connection are one answer (status
  // line, headers and body, exactly as Poco will write them). Until they are all sent,
  // every send that leaves some of them for later says MSG_MORE, so the kernel sends the
  // answer in as few segments as it can. Without the hint, Poco's 4 KiB stream buffer made
  // a 34 KB page nine separate transmissions. [the connection's thread]
  void expect_answer_bytes(std::size_t bytes) noexcept { answer_bytes_left_ = bytes; }
  // Ends the announced answer. Should fewer bytes have been sent than announced (the
  // answer failed half-way), whatever a MSG_MORE held back is sent now. [the connection's
  // thread]
  void end_answer() noexcept;
  // Poco's send, with MSG_MORE while an announced answer has bytes after these.
  int sendBytes(const void *buffer, int length, int flags = 0) override;

protected:
  ~ConnectionSocketImpl() override = default; // reference counted, like every SocketImpl

private:
  Poco::Net::SocketAddress peer_;
  Poco::Net::SocketAddress local_;
  std::size_t answer_bytes_left_ = 0; // of the announced answer, not yet sent
};

// The listening socket's implementation: accept4(2) with SOCK_CLOEXEC (a connection is
// never inherited by a process the runtime starts, e.g. an isolated plugin's host),
// returning ConnectionSocketImpl.
class ConnectionServerSocketImpl : public Poco::Net::ServerSocketImpl {
public:
  ConnectionServerSocketImpl() = default;

  // Accepts the next connection (retrying when interrupted); sets `client` to its address.
  // Throws a Poco::Net::NetException subclass when accept fails. [the acceptor thread]
  Poco::Net::SocketImpl *acceptConnection(Poco::Net::SocketAddress &client) override;

protected:
  ~ConnectionServerSocketImpl() override = default;
};

// A Poco::Net::ServerSocket (bind, listen, and hand to Poco::Net::HTTPServer as usual)
// whose accepted connections are ConnectionSocketImpl. Since 0.1.0.
class ConnectionServerSocket : public Poco::Net::ServerSocket {
public:
  ConnectionServerSocket();
};

} // namespace hearth::http
