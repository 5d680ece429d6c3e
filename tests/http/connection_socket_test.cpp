// The HTTP server's listening socket (src/http/connection_socket.hpp): its connections wait
// with poll(2), remember both addresses from the accept, are never inherited by a program
// the runtime starts, and carry Poco's HTTP unchanged (several kept-alive requests on one
// connection; a client that hangs up mid-connection).
#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <chrono>

#include <istream>
#include <iterator>
#include <memory>
#include <string>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <gtest/gtest.h>

#include "http/connection_socket.hpp"
#include "http/server.hpp"

namespace {

using hearth::http::ConnectionServerSocket;
using Poco::Net::Socket;

// A ConnectionServerSocket listening on a free loopback port, with one client connected
// and its accepted end.
class ConnectionSocketTest : public ::testing::Test {
protected:
  void SetUp() override {
    listening_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    listening_.listen(4);
    client_.connect(listening_.address());
    accepted_ = listening_.acceptConnection();
  }

  ConnectionServerSocket listening_;
  Poco::Net::StreamSocket client_;
  Poco::Net::StreamSocket accepted_;
};

TEST_F(ConnectionSocketTest, AcceptsConnectionsOfItsOwnKind) {
  EXPECT_NE(dynamic_cast<hearth::http::ConnectionSocketImpl *>(accepted_.impl()), nullptr);
}

TEST_F(ConnectionSocketTest, AnAcceptedConnectionIsNotInheritedByAProgramTheRuntimeStarts) {
  const int flags = ::fcntl(accepted_.impl()->sockfd(), F_GETFD);
  ASSERT_GE(flags, 0);
  EXPECT_NE(flags & FD_CLOEXEC, 0);
}

TEST_F(ConnectionSocketTest, KnowsBothEndsAddresses) {
  EXPECT_EQ(accepted_.peerAddress().toString(), client_.address().toString());
  EXPECT_EQ(accepted_.address().toString(), client_.peerAddress().toString());
  // Asked again (Poco asks on every request): the same, without asking the kernel.
  EXPECT_EQ(accepted_.peerAddress().toString(), client_.address().toString());
}

TEST_F(ConnectionSocketTest, WaitingForARequestTimesOutWhenNoneComes) {
  EXPECT_FALSE(accepted_.poll(Poco::Timespan(0, 30 * 1000), Socket::SELECT_READ));
  EXPECT_FALSE(accepted_.poll(Poco::Timespan(0, 0), Socket::SELECT_READ));
}

TEST_F(ConnectionSocketTest, WaitingForARequestEndsWhenItArrives) {
  client_.sendBytes("GET", 3);
  EXPECT_TRUE(accepted_.poll(Poco::Timespan(5, 0), Socket::SELECT_READ));
  char received[3] = {};
  EXPECT_EQ(accepted_.receiveBytes(received, sizeof received), 3);
  EXPECT_EQ(std::string(received, sizeof received), "GET");
  EXPECT_FALSE(accepted_.poll(Poco::Timespan(0, 10 * 1000), Socket::SELECT_READ));
}

TEST_F(ConnectionSocketTest, WaitingEndsWhenTheClientHangsUpAndTheReadTellsSo) {
  client_.close();
  EXPECT_TRUE(accepted_.poll(Poco::Timespan(5, 0), Socket::SELECT_READ));
  char received[1] = {};
  EXPECT_EQ(accepted_.receiveBytes(received, sizeof received), 0);
}

TEST_F(ConnectionSocketTest, AConnectedSocketIsReadyForWriting) {
  EXPECT_TRUE(accepted_.poll(Poco::Timespan(1, 0), Socket::SELECT_WRITE));
}

TEST_F(ConnectionSocketTest, WaitingOnAClosedSocketIsRefused) {
  accepted_.close();
  EXPECT_THROW(accepted_.poll(Poco::Timespan(0, 1000), Socket::SELECT_READ), Poco::Net::InvalidSocketException);
}

// Bytes the kernel holds for `socket` that it has not transmitted yet.
int unsent_bytes(const Poco::Net::StreamSocket &socket) {
  int unsent = -1;
  EXPECT_EQ(::ioctl(socket.impl()->sockfd(), SIOCOUTQNSD, &unsent), 0);
  return unsent;
}

// Reads exactly `count` bytes from `socket`.
std::string receive(Poco::Net::StreamSocket &socket, std::size_t count) {
  std::string bytes(count, '\0');
  std::size_t got = 0;
  while (got < count) {
    const int n = socket.receiveBytes(bytes.data() + got, static_cast<int>(count - got));
    if (n <= 0) {
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

TEST_F(ConnectionSocketTest, SendsAnAnnouncedAnswerWhenItsLastByteIsWritten) {
  auto *connection = dynamic_cast<hearth::http::ConnectionSocketImpl *>(accepted_.impl());
  ASSERT_NE(connection, nullptr);
  connection->expect_answer_bytes(10);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(accepted_.sendBytes("hello", 5), 5);
  const int held = unsent_bytes(accepted_);
  // The kernel sends held bytes after 200 ms anyway; only a prompt look tells.
  if (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(150)) {
    EXPECT_EQ(held, 5) << "the first part of an announced answer went out on its own";
  }
  ASSERT_EQ(accepted_.sendBytes("world", 5), 5);
  EXPECT_EQ(unsent_bytes(accepted_), 0) << "the answer's last byte did not send it";
  EXPECT_EQ(receive(client_, 10), "helloworld");
}

TEST_F(ConnectionSocketTest, EndingAnAnswerShorterThanAnnouncedSendsWhatWasHeldBack) {
  auto *connection = dynamic_cast<hearth::http::ConnectionSocketImpl *>(accepted_.impl());
  ASSERT_NE(connection, nullptr);
  connection->expect_answer_bytes(100);
  ASSERT_EQ(accepted_.sendBytes("hello", 5), 5);
  connection->end_answer();
  EXPECT_EQ(unsent_bytes(accepted_), 0);
  EXPECT_EQ(receive(client_, 5), "hello");
  // Later sends are not held back.
  ASSERT_EQ(accepted_.sendBytes("again", 5), 5);
  EXPECT_EQ(unsent_bytes(accepted_), 0);
  EXPECT_EQ(receive(client_, 5), "again");
}

TEST(ConnectionServerSocket, RefusesToAcceptBeforeListening) {
  ConnectionServerSocket unbound;
  Poco::Net::SocketAddress client;
  EXPECT_THROW(unbound.impl()->acceptConnection(client), Poco::Net::InvalidSocketException);
}

// Hearth's server over this socket: several requests on one kept-alive connection, each
// answered, and the client's address as the handler saw it.
TEST(ConnectionServerSocket, CarriesKeptAliveHttpRequestsOfHearthsServer) {
  hearth::http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  hearth::http::Server server(options);
  server.route("GET", "/who", [](const hearth::http::Request &request) {
    return hearth::http::Response{200, "text/plain", request.remote_address, {}};
  });
  const std::uint16_t port = server.start();
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setKeepAlive(true);
  std::string first_peer;
  for (int i = 0; i < 3; ++i) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/who", Poco::Net::HTTPRequest::HTTP_1_1);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream &body = session.receiveResponse(response);
    const std::string text((std::istreambuf_iterator<char>(body)), std::istreambuf_iterator<char>());
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    EXPECT_EQ(text, "127.0.0.1");
    EXPECT_TRUE(response.getKeepAlive());
    // One connection throughout: the client's own address stays the same.
    const std::string peer = session.socket().address().toString();
    if (i == 0) {
      first_peer = peer;
    }
    EXPECT_EQ(peer, first_peer);
  }
  server.stop();
}

// Answers larger than Poco's 4 KiB stream buffer go out announced (expect_answer_bytes):
// every one arrives whole, with its length, on one kept-alive connection, around the
// buffer's size and well above it.
TEST(ConnectionServerSocket, SendsLargeAnswersWholeOnAKeptAliveConnection) {
  hearth::http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  hearth::http::Server server(options);
  // `size` bytes that differ along the way, so a lost or repeated chunk shows.
  const auto patterned = [](std::size_t size) {
    std::string body(size, 'x');
    for (std::size_t i = 0; i < size; i += 7) {
      body[i] = static_cast<char>('a' + (i / 7) % 26);
    }
    return body;
  };
  server.route("GET", "/bytes", [&patterned](const hearth::http::Request &request) {
    return hearth::http::Response{200, "text/plain", patterned(std::stoul(request.query)), {}};
  });
  const std::uint16_t port = server.start();
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setKeepAlive(true);
  for (const std::size_t size : {3000UL, 3073UL, 4000UL, 4096UL, 4097UL, 8192UL, 34407UL, 200000UL, 10UL}) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/bytes?" + std::to_string(size),
                                   Poco::Net::HTTPRequest::HTTP_1_1);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream &body = session.receiveResponse(response);
    const std::string text((std::istreambuf_iterator<char>(body)), std::istreambuf_iterator<char>());
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << size;
    EXPECT_EQ(response.getContentLength64(), static_cast<Poco::Int64>(size));
    ASSERT_EQ(text.size(), size);
    EXPECT_TRUE(text == patterned(size)) << "the answer of " << size << " bytes arrived changed";
  }
  server.stop();
}

} // namespace
