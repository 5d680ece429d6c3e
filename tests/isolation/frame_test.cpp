// The frame protocol between the runtime and hearth-plugin-host, over a real socketpair.
#include <chrono>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "isolation/frame.hpp"
#include "isolation/protocol.hpp"

namespace hearth::isolation {
namespace {

class SocketPair {
public:
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends_), 0); }
  ~SocketPair() {
    close(0);
    close(1);
  }
  SocketPair(const SocketPair &) = delete;
  SocketPair &operator=(const SocketPair &) = delete;
  int at(int i) const { return ends_[i]; }
  void close(int i) {
    if (ends_[i] >= 0) {
      ::close(ends_[i]);
      ends_[i] = -1;
    }
  }
  void write_raw(const std::string &bytes) {
    ASSERT_EQ(::write(ends_[0], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

private:
  int ends_[2] = {-1, -1};
};

TEST(Frame, CarriesJsonObjectsBothWaysInOrder) {
  SocketPair pair;
  Poco::JSON::Object first;
  first.set("type", std::string("call"));
  first.set("args", std::string(R"({"text":"äöü \"quoted\""})"));
  Poco::JSON::Object second;
  second.set("type", std::string("log"));
  second.set("message", std::string(100'000, 'x'));
  write_frame(pair.at(0), first);
  write_frame(pair.at(0), second);
  const auto one = read_frame(pair.at(1));
  const auto two = read_frame(pair.at(1));
  ASSERT_TRUE(one && two);
  EXPECT_EQ(one->getValue<std::string>("args"), R"({"text":"äöü \"quoted\""})");
  EXPECT_EQ(two->getValue<std::string>("message").size(), 100'000u);
  write_frame(pair.at(1), first);
  EXPECT_EQ(read_frame(pair.at(0))->getValue<std::string>("type"), "call");
}

TEST(Frame, ADeadlineThatPassesBeforeAFrameGivesNothing) {
  SocketPair pair;
  EXPECT_FALSE(read_frame(pair.at(1), std::chrono::steady_clock::now()));
}

TEST(Frame, TheEndOfTheStreamIsChannelClosed) {
  SocketPair pair;
  pair.close(0);
  EXPECT_THROW(read_frame(pair.at(1)), ChannelClosed);
  Poco::JSON::Object message;
  message.set("type", std::string("call"));
  SocketPair other;
  other.close(1);
  EXPECT_THROW(write_frame(other.at(0), message), ChannelClosed) << "no SIGPIPE: a dead peer is an exception";
}

TEST(Frame, AStreamEndingInsideAFrameIsChannelClosed) {
  SocketPair pair;
  pair.write_raw(std::string("\0\0\0\x10{\"type\"", 11));
  pair.close(0);
  EXPECT_THROW(read_frame(pair.at(1)), ChannelClosed);
}

TEST(Frame, AnOversizedLengthIsAProtocolError) {
  SocketPair pair;
  pair.write_raw(std::string("\x7f\0\0\0", 4));
  EXPECT_THROW(read_frame(pair.at(1)), ProtocolError);
}

TEST(Frame, AFrameThatIsNotAJsonObjectIsAProtocolError) {
  SocketPair pair;
  pair.write_raw(std::string("\0\0\0\x03[1]", 7));
  EXPECT_THROW(read_frame(pair.at(1)), ProtocolError);
  pair.write_raw(std::string("\0\0\0\x03{x:", 7));
  EXPECT_THROW(read_frame(pair.at(1)), ProtocolError);
}

TEST(Protocol, ADescriptionSurvivesTheRoundTrip) {
  ModuleDescription description;
  description.accepted = true;
  description.abi_major = 1;
  description.abi_minor = 2;
  description.descriptor.id = "nl.test.x";
  description.descriptor.name = "X";
  description.descriptor.kind = HEARTH_PLUGIN_KIND_SCORER;
  description.descriptor.features = {"a", "b"};
  description.descriptor.dependencies = {"nl.test.base"};
  const ModuleDescription back = description_from_json(*description_to_json(description));
  EXPECT_TRUE(back.accepted);
  EXPECT_EQ(back.abi_minor, 2u);
  EXPECT_EQ(back.descriptor.id, "nl.test.x");
  EXPECT_EQ(back.descriptor.kind, static_cast<std::uint32_t>(HEARTH_PLUGIN_KIND_SCORER));
  EXPECT_EQ(back.descriptor.features, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(back.descriptor.dependencies, (std::vector<std::string>{"nl.test.base"}));
  Poco::JSON::Object not_hello;
  not_hello.set("type", std::string("result"));
  EXPECT_THROW(description_from_json(not_hello), ProtocolError);
}

TEST(Protocol, AnActorSurvivesTheRoundTripWithAnAbsentOnBehalfOf) {
  const hearth_actor actor{sizeof(hearth_actor), 1, "emp-1", "coordinator", "corp:demo", nullptr, "cli"};
  const ActorCopy copy(*actor_to_json(actor));
  EXPECT_STREQ(copy.actor.user, "emp-1");
  EXPECT_STREQ(copy.actor.role, "coordinator");
  EXPECT_EQ(copy.actor.on_behalf_of, nullptr);
  EXPECT_EQ(copy.actor.emergency, 1u);
}

} // namespace
} // namespace hearth::isolation
